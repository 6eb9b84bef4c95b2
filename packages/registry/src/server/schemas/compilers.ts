/**
 * Schema compilers shared by every app this process builds. Fastify compiles a validator and a
 * serialiser per route, status and media type; most are the same few schemas (every route's
 * problem+json answers, the two tarball routes, the lists), and a process that builds several apps
 * (the test suites start dozens of registries per process) would compile them all again each time:
 * about 0.1 s of CPU per app. Both pools are keyed on the shared schemas and options, so an app built
 * with other ones gets its own compilers.
 */
import { AjvCompiler } from '@fastify/ajv-compiler';
import { SerializerSelector, type Serializer, type SerializerFactory } from '@fastify/fast-json-stringify-compiler';

/** Fastify's own validator pool (one Ajv per set of shared schemas and options), made once per process. */
const buildValidator = AjvCompiler();

const buildSerializerFrom = SerializerSelector();
const serializerPools = new Map<string, Map<string, Serializer>>();

/** One serialiser per distinct response schema, per set of shared schemas and options. */
const buildSerializer: SerializerFactory = (externalSchemas, options) => {
  const compile = buildSerializerFrom(externalSchemas, options);
  const poolKey = JSON.stringify([externalSchemas, options]);
  let compiled = serializerPools.get(poolKey);
  if (!compiled) {
    compiled = new Map();
    serializerPools.set(poolKey, compiled);
  }
  const pool = compiled;
  return (route) => {
    const key = JSON.stringify(route.schema);
    let serialize = pool.get(key);
    if (!serialize) {
      serialize = compile(route);
      pool.set(key, serialize);
    }
    return serialize;
  };
};

export const sharedCompilers = { buildValidator, buildSerializer };
