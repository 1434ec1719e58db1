import { setPasswordHashCost } from '../src/access/users/password.js';

/**
 * The cost of password hashes through the suite, in this process and in the serve processes tests start
 * (test/helpers/serve-process.ts): production hashes at scrypt N=2^17 (half a second here); tests would spend minutes
 * on it.
 */
export const SUITE_PASSWORD_HASH_COST = 10;

setPasswordHashCost(SUITE_PASSWORD_HASH_COST);
