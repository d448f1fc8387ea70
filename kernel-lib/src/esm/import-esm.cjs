// Native dynamic import, kept in a real on-disk CommonJS file on purpose: tslab compiles notebook cells (and
// tsc compiles this library) to CommonJS, which rewrites `import()` into `require()`, and ESM-only packages
// such as h5wasm cannot be required. Node runs this file untranspiled, so `import()` here stays native.
module.exports = function importEsm(specifier) {
  return import(specifier);
};
