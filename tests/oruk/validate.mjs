// Checks one response document against the official ORUK 3.0 JSON Schemas (draft 2020-12) kept in
// data/oruk/. Usage:
//   node tests/oruk/validate.mjs KIND FILE
// KIND is api_details, service, organization, or a list: service_list, organization_list, taxonomy_list,
// taxonomy_term_list, service_at_location_list. A list is checked three ways: against its *_list.json schema, against the
// openapi `Page` envelope (with every paging field present, not only `empty`), and item by item
// against the entity's own schema. Prints the problems and exits 1 when there are any.
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const Ajv2020 = require('ajv/dist/2020').default;
const addFormats = require('ajv-formats').default;

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const schemaDir = join(root, 'data', 'oruk', 'schema');
// The address the schemas' absolute $refs use.
const BASE = 'https://openreferraluk.org/specifications/3.0/schema/';

const [kind, file] = process.argv.slice(2);
if (!kind || !file) {
  console.error('usage: node tests/oruk/validate.mjs KIND FILE');
  process.exit(2);
}

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
for (const name of readdirSync(schemaDir).filter((n) => n.endsWith('.json'))) {
  ajv.addSchema(JSON.parse(readFileSync(join(schemaDir, name), 'utf8')), BASE + name);
}
const openapi = JSON.parse(readFileSync(join(root, 'data', 'oruk', 'openapi.json'), 'utf8'));
// The published Page requires only `empty`; ORUK's validator reads all of these, so we insist on them.
const page = {
  allOf: [
    openapi.components.schemas.Page,
    {
      required: ['total_items', 'total_pages', 'page_number', 'size', 'first_page', 'last_page', 'empty', 'contents'],
      properties: { contents: { type: 'array' } },
    },
  ],
};

const itemSchema = {
  service_list: 'service.json',
  organization_list: 'organization.json',
  taxonomy_list: 'taxonomy.json',
  taxonomy_term_list: 'taxonomy_term.json',
  service_at_location_list: 'service_at_location.json',
};

const doc = JSON.parse(readFileSync(file, 'utf8'));
const problems = [];
function check(schema, value, where) {
  const validate = typeof schema === 'string' ? ajv.getSchema(BASE + schema) : ajv.compile(schema);
  if (!validate) throw new Error(`no schema ${schema}`);
  if (!validate(value)) {
    for (const e of validate.errors) problems.push(`${where}${e.instancePath} ${e.message} (${e.schemaPath})`);
  }
}

if (kind in itemSchema) {
  check(`${kind}.json`, doc, `${kind}`);
  check(page, doc, 'page');
  (doc.contents || []).forEach((item, i) => check(itemSchema[kind], item, `contents[${i}]`));
} else if (kind === 'api_details' || kind === 'service' || kind === 'organization') {
  check(`${kind}.json`, doc, kind);
} else {
  console.error(`unknown kind ${kind}`);
  process.exit(2);
}

if (problems.length) {
  for (const p of problems) console.log(`  ${p}`);
  process.exit(1);
}
