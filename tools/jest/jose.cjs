// jose is ESM-only: jest's CommonJS runtime cannot load it; Node's own require (require(esm)) can.
module.exports = process.getBuiltinModule('node:module').createRequire(__filename)('jose');
