import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../../src/config/config-error.js';
import { loadConfig } from '../../../src/config/load-config.js';

/** Writes `text` as <tmp>/etc/config.yaml and loads it by the relative path an operator would type. */
function load(text: string) {
  const root = mkdtempSync(join(tmpdir(), 'softswitch-ivr-cfg-'));
  mkdirSync(join(root, 'etc'));
  writeFileSync(join(root, 'etc', 'config.yaml'), text);
  return { config: loadConfig('etc/config.yaml', { cwd: root, cores: 2 }), root };
}

function rejects(text: string, message: string): void {
  try {
    load(text);
  } catch (err) {
    assert.instance(err, ConfigError);
    assert.is((err as Error).message, message);
    return;
  }
  assert.unreachable(`expected: ${message}`);
}

test('ivr: English and no operator prompts when the section is absent', () => {
  assert.equal(load('').config.ivr, { language: 'en' });
});

test('ivr: language it or ru, promptsDir resolved against the config file directory', () => {
  const { config, root } = load('ivr:\n  language: ru\n  promptsDir: prompts\n');
  assert.equal(config.ivr, { language: 'ru', promptsDir: join(root, 'etc', 'prompts') });
  assert.equal(load('ivr:\n  language: it\n  promptsDir: /srv/prompts\n').config.ivr, { language: 'it', promptsDir: '/srv/prompts' });
});

test('ivr: a language without shipped prompts, a typo and an empty promptsDir are refused with one line', () => {
  rejects('ivr:\n  language: de\n', 'etc/config.yaml: ivr.language must be one of en, it, ru, got "de" (line 2)');
  rejects('ivr:\n  languge: it\n', 'etc/config.yaml: unknown key ivr.languge (did you mean ivr.language?) (line 2)');
  rejects('ivr:\n  promptsDir: ""\n', 'etc/config.yaml: ivr.promptsDir must be a non-empty string, got "" (line 2)');
});

test.run();
