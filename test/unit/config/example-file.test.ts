import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMap, parseDocument, type Node } from 'yaml';
import { CONFIG_SECTIONS, loadConfig } from '../../../src/config/load-config.js';

// Compiled to dist/test/unit/config/: the repository root is four levels up.
const EXAMPLE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'config.example.yaml');

/** Dotted paths of every key in a YAML text ("sip.tls.cert"). */
function keyPaths(text: string): string[] {
  const paths: string[] = [];
  const walk = (node: Node | null | undefined, prefix: string) => {
    if (!isMap(node)) return;
    for (const pair of node.items) {
      const key = `${prefix}${String((pair.key as { value: unknown }).value)}`;
      paths.push(key);
      walk(pair.value as Node, `${key}.`);
    }
  };
  walk(parseDocument(text).contents as Node, '');
  return paths.sort();
}

const allKeys = () =>
  Object.entries(CONFIG_SECTIONS)
    .flatMap(([section, keys]) => keys.map((k) => (section ? `${section}.${k}` : k)))
    .sort();

test('config.example.yaml as shipped loads to exactly the built-in defaults', () => {
  const dir = dirname(EXAMPLE);
  assert.equal(loadConfig(EXAMPLE, { cores: 4 }), { ...loadConfig(undefined, { cwd: dir, cores: 4 }), file: EXAMPLE });
});

test('config.example.yaml documents every key (commented-out ones included) and those examples load', () => {
  // Uncomment "# key: value" lines: optional keys are shown that way.
  const uncommented = readFileSync(EXAMPLE, 'utf8').replace(/^(\s*)# ([A-Za-z]+:.*)$/gm, '$1$2');
  assert.equal(keyPaths(uncommented), allKeys());
  const file = join(mkdtempSync(join(tmpdir(), 'softswitch-example-')), 'config.yaml');
  writeFileSync(file, uncommented);
  const config = loadConfig(file);
  assert.ok(config.sip.tls, 'the TLS example sets both files');
  assert.is(config.sip.externalAddress, '203.0.113.10');
});

test.run();
