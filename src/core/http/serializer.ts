import type { FastifySerializerCompiler } from 'fastify/types/schema.js';
import fastJsonStringify from 'fast-json-stringify';
import { serializerCompiler as zodSerializerCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';

type SerializerInput = Parameters<typeof zodSerializerCompiler>[0];

/**
 * Response serialisation from the same zod schemas the OpenAPI document is built from.
 *
 * In production each schema is compiled once to JSON Schema and then to a fast-json-stringify function: it writes
 * only declared properties (a handler that returns a secret by mistake does not leak it) and fails on a missing
 * required one, at about a third of the cost of zod's encode on our responses — serialisation was the largest
 * single cost on the authenticated read path (see bench/api). With `validate: true` (the test suite) responses go
 * through zod's encode instead, which also checks every value against the schema.
 */
export function responseSerializerCompiler(options: { validate: boolean }): FastifySerializerCompiler<unknown> {
  return (input) => {
    const route = input as unknown as SerializerInput;
    if (options.validate) return zodSerializerCompiler(route);
    const schema = resolveZod(route.schema);
    if (!schema) return zodSerializerCompiler(route);
    let serialize = compiled.get(schema);
    if (serialize === undefined) {
      serialize = compile(schema);
      compiled.set(schema, serialize);
    }
    // A schema JSON Schema cannot express (a transform, a custom type) keeps zod's serialiser.
    return serialize ?? zodSerializerCompiler(route);
  };
}

/**
 * Serialisers by schema: routes share most of theirs (every error status of every route sends the one problem
 * schema), so an app has about 1,000 route × status pairs but some 130 distinct schemas. A fast-json-stringify
 * function depends on nothing but the schema, so each is compiled once per process (null: not expressible).
 */
const compiled = new WeakMap<z.ZodType, ((data: unknown) => string) | null>();

function compile(schema: z.ZodType): ((data: unknown) => string) | null {
  try {
    const json = z.toJSONSchema(schema, { target: 'draft-7', io: 'output', unrepresentable: 'any' });
    return fastJsonStringify(json as Parameters<typeof fastJsonStringify>[0]);
  } catch {
    return null;
  }
}

function resolveZod(schema: unknown): z.ZodType | undefined {
  if (schema instanceof z.ZodType) return schema;
  const properties = (schema as { properties?: unknown } | undefined)?.properties;
  return properties instanceof z.ZodType ? properties : undefined;
}
