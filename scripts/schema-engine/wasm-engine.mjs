// Loads @prisma/schema-engine-wasm (the WebAssembly build of the schema engine that prisma 7.10.0 uses) and
// creates a SchemaEngine that runs its SQL through a driver-adapter factory (see postgres.mjs).
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
// The wasm-bindgen "glue". The package's main entry imports the .wasm as an ES module, which Node cannot do,
// so we instantiate the binary ourselves and hand the instance to the glue.
import * as glue from '@prisma/schema-engine-wasm/schema_engine_bg';

const require = createRequire(import.meta.url);
const { WebAssembly } = globalThis;
const packageDir = path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg'));

// Rust panics report their message here (the glue calls set_message) before the wasm traps with "unreachable".
let lastPanicMessage;
globalThis.PRISMA_WASM_PANIC_REGISTRY = {
  set_message: (message) => {
    lastPanicMessage = message;
  },
  get: () => lastPanicMessage,
};

/** The panic message recorded for `error` if it is a wasm trap (a Rust panic), else undefined. */
export function panicMessageOf(error) {
  return error instanceof WebAssembly.RuntimeError ? (lastPanicMessage ?? error.message) : undefined;
}

/** The engine commit hash, e.g. "0edf323e…", read from the package version "7.10.0-4.<hash>". */
export function engineHash() {
  // (the package's "exports" do not include package.json, so read it next to the glue)
  const packageJson = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
  return packageJson.version.split('.').pop();
}

/** The engine hash the installed prisma CLI was built for, or undefined if it cannot be determined. */
export function expectedEngineHash() {
  try {
    return createRequire(require.resolve('prisma/package.json'))('@prisma/engines-version').enginesVersion;
  } catch {
    return undefined;
  }
}

let instantiated;
function instantiate() {
  instantiated ??= (async () => {
    const bytes = await readFile(path.join(packageDir, 'schema_engine_bg.wasm'));
    const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': glue });
    glue.__wbg_set_wasm(instance.exports);
    instance.exports.__wbindgen_start();
  })();
  return instantiated;
}

/**
 * @param {object} options
 * @param {Array<[string, string]>} options.datamodels  [path, content] of each schema file
 * @param {object} options.adapterFactory  has provider, adapterName, connect(), connectToShadowDb()
 * @param {(line: string) => void} options.onLog  receives the engine's JSON log lines
 * @returns {Promise<{ engine: object, externalError: (id: number) => unknown }>}
 *   externalError(id) returns the JS error the engine reports only as "External error id#<id>"
 */
export async function createSchemaEngine({ datamodels, adapterFactory, onLog }) {
  await instantiate();
  const boundFactory = bindMigrationAwareSqlAdapterFactory(adapterFactory);
  const engine = await glue.SchemaEngine.new(
    { datamodels: datamodels.length > 0 ? datamodels : undefined },
    onLog,
    boundFactory,
  );
  return { engine, externalError: (id) => boundFactory.errorRegistry.consumeError(id)?.error };
}
