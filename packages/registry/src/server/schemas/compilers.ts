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
  const pool = serializerPools.get(poolKey) ?? new Map<string, Serializer>();
  serializerPools.set(poolKey, pool);
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

type Compiled = ((...args: unknown[]) => unknown) & { errors?: unknown };

/** A function that compiles on its first call; `errors` (Ajv's, which Fastify reads) follows each call. */
function onFirstCall(compile: () => Compiled): Compiled {
  let compiled: Compiled | undefined;
  const run: Compiled = function (this: unknown, ...args: unknown[]) {
    compiled ??= compile();
    const result = compiled.apply(this, args);
    run.errors = compiled.errors;
    return result;
  };
  return run;
}

/**
 * The same compilers, each schema compiled at its first use instead of at start: for test mode
 * (REGISTRY_ENV=test), where a process starts many registries that each serve a few routes, and
 * compiling all of them costs about a quarter of a second of CPU per process. Production compiles
 * everything before listening, so its first requests do not pay and a bad schema fails the start.
 */
export const lazyCompilers = {
  buildValidator: ((externalSchemas, options) => {
    const compile = buildValidator(externalSchemas, options);
    return (route: Parameters<typeof compile>[0]) => onFirstCall(() => compile(route) as Compiled);
  }) as typeof buildValidator,
  buildSerializer: ((externalSchemas, options) => {
    const compile = buildSerializer(externalSchemas, options);
    return (route: Parameters<typeof compile>[0]) => onFirstCall(() => compile(route) as Compiled) as Serializer;
  }) as SerializerFactory,
};
