/**
 * A `node --require` preload for the fast-path tests: renames a private field consistently inside a dependency's files
 * as Node loads them, as a patch release of that dependency might, without touching node_modules.
 *
 * TC_RENAME_FIELDS is a JSON array of { package, field, to } or { package, pattern, to }: every `field` as a whole
 * identifier (or every match of the regular expression `pattern`) in the files under node_modules/<package>/ becomes
 * `to`. A pattern serves where the name also stands for something else (a module name, another object's field).
 */
'use strict';
const Module = require('node:module');
const { sep } = require('node:path');

const renames = JSON.parse(process.env.TC_RENAME_FIELDS || '[]').map(({ package: name, field, pattern, to }) => ({
  folder: `${sep}node_modules${sep}${name.split('/').join(sep)}${sep}`,
  pattern: new RegExp(pattern ?? `(?<![\\w$])${field.replace(/[$]/g, '\\$')}(?![\\w$])`, 'g'),
  to,
}));

const compile = Module.prototype._compile;
Module.prototype._compile = function (content, filename) {
  for (const { folder, pattern, to } of renames) {
    if (filename.includes(folder)) content = content.replace(pattern, to);
  }
  return compile.call(this, content, filename);
};
