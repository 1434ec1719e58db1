import type { Queryable } from '../../core/db/port.js';
import type { Principal } from '../../core/principal.js';

/**
 * A secret's value about to change: `create` (every reference to the name reads the new value, a pinned one
 * included, as versions count from 1 again after a delete) or `rotate` (references without a version read it).
 */
export type SecretValueChange = { name: string; kind: 'create' | 'rotate' };

/**
 * Checks run before a secret's value changes, inside its transaction, by capabilities above the vault that send
 * secrets somewhere (a connection whose destination a secret decides: connections/secret-destinations.ts). The
 * vault declares the interface and the server wires the implementations in; a check throws an ApiError to refuse.
 */
export type SecretValueCheck = (q: Queryable, principal: Principal, change: SecretValueChange) => Promise<void>;
