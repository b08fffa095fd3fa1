// Synthesises the shipped prompts; see generate.sh for the usage. Plain JavaScript so it runs on
// the compiled texts (dist/src/ivr) without a TypeScript loader.
//
// Per prompt: espeak-ng (voice and rate below) -> sox: resample to 16 kHz, 16-bit mono, no dither
// (so the output is byte-for-byte repeatable), trim leading and trailing silence, shorten pauses
// inside a sentence to 0.2 s, 5/20 ms fades against clicks, peak-normalise to -3 dBFS.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { PHRASES } = await import(join(root, 'dist/src/ivr/prompt-phrases.js'));
const { NUMBER_GRAMMARS } = await import(join(root, 'dist/src/ivr/number-words.js'));
const { shippedPrompts } = await import(join(root, 'dist/src/ivr/prompt-catalog.js'));

/** espeak-ng voice and words per minute: a calm telephone pace (espeak's own default is 175). */
export const VOICES = {
  en: { voice: 'en-us', wpm: 175 },
  it: { voice: 'it', wpm: 175 },
  ru: { voice: 'ru', wpm: 175 },
};
const SOX_EFFECTS = [
  'rate', '-v', '16000',
  // Leading silence off, and every pause longer than 0.2 s inside the phrase cut to 0.2 s.
  'silence', '-l', '1', '0.02', '-40d', '-1', '0.2', '-40d',
  // Trailing silence off and a 20 ms fade-out, both done on the reversed audio (silence trims only
  // from the front, and fade cannot find the end of a stream whose length silence changed).
  'reverse', 'silence', '1', '0.02', '-40d', 'fade', 't', '0.02', 'reverse',
  'fade', 't', '0.005',
  'norm', '-3',
];
const OUT = join(root, 'media', 'prompts');
const MANIFEST = join(OUT, 'manifest.json');

function parseArgs(argv) {
  const args = { langs: Object.keys(VOICES), only: undefined, check: false, table: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--lang') args.langs = argv[++i].split(',');
    else if (a === '--only') args.only = new Set(argv[++i].split(','));
    else if (a === '--check') args.check = true;
    else if (a === '--table') args.table = true;
    else throw new Error(`unknown argument ${a} (see tools/prompts/generate.sh)`);
  }
  for (const l of args.langs) if (!VOICES[l]) throw new Error(`unknown language ${l}`);
  return args;
}


function readManifest() {
  if (!existsSync(MANIFEST)) return { prompts: {} };
  return JSON.parse(readFileSync(MANIFEST, 'utf8'));
}

function tool(cmd, args) {
  return execFileSync(cmd, args, { encoding: 'utf8' }).trim();
}

function synthesise(lang, text, out, work) {
  const raw = join(work, 'espeak.wav');
  const { voice, wpm } = VOICES[lang];
  // -b 1: the text is UTF-8; --stdin: no text is mistaken for an option.
  execFileSync('espeak-ng', ['-v', voice, '-s', String(wpm), '-b', '1', '-w', raw, '--stdin'], { input: text });
  execFileSync('sox', ['-D', '-G', raw, '-c', '1', '-b', '16', '-e', 'signed-integer', out, ...SOX_EFFECTS]);
}

/** Markdown rows `| id | en | it | ru |`; a language that does not ship an id shows a dash. */
function table(ids, textOf) {
  const langs = Object.keys(VOICES);
  const rows = ids.map((id) => `| \`${id}\` | ${langs.map((l) => textOf(id, l) ?? '-').join(' | ')} |`);
  return [`| id | ${langs.join(' | ')} |`, `| --- |${langs.map(() => ' --- |').join('')}`, ...rows].join('\n');
}

function numberTable() {
  const words = new Map(Object.keys(VOICES).map((l) => [l, new Map(NUMBER_GRAMMARS[l].words.map((w) => [w.id, w.text]))]));
  const value = (id) => (id === 'number-hundred' ? 100.5 : Number(id.slice('number-'.length)));
  const ids = [...new Set([...words.values()].flatMap((m) => [...m.keys()]))].sort((a, b) => value(a) - value(b));
  return table(ids, (id, l) => words.get(l).get(id));
}

const args = parseArgs(process.argv.slice(2));
if (args.table) {
  const phrases = new Map(PHRASES.map((p) => [p.id, p.texts]));
  console.log(table([...phrases.keys()], (id, l) => phrases.get(id)[l]));
  console.log();
  console.log(numberTable());
  process.exit(0);
}

const manifest = readManifest();
if (args.check) {
  let stale = 0;
  for (const lang of args.langs) {
    for (const p of shippedPrompts(lang)) {
      const file = join(OUT, lang, `${p.id}.wav`);
      const why = !existsSync(file) ? 'missing' : manifest.prompts?.[lang]?.[p.id] !== p.text ? 'text changed' : undefined;
      if (why) {
        stale++;
        console.log(`${relative(root, file)}: ${why}`);
      }
    }
  }
  console.log(stale === 0 ? 'all prompts are up to date' : `${stale} prompt(s) to regenerate`);
  process.exit(stale === 0 ? 0 : 1);
}

const work = mkdtempSync(join(tmpdir(), 'softswitch-prompts-'));
let bytes = 0;
let count = 0;
try {
  for (const lang of args.langs) {
    mkdirSync(join(OUT, lang), { recursive: true });
    manifest.prompts[lang] ??= {};
    for (const p of shippedPrompts(lang)) {
      if (args.only && !args.only.has(p.id)) continue;
      const file = join(OUT, lang, `${p.id}.wav`);
      synthesise(lang, p.text, file, work);
      manifest.prompts[lang][p.id] = p.text;
      bytes += statSync(file).size;
      count++;
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
manifest.generator = {
  script: 'tools/prompts/generate.sh',
  espeakNg: tool('espeak-ng', ['--version']).replace(/^eSpeak NG text-to-speech: ([^ ]+).*$/s, '$1'),
  sox: tool('sox', ['--version']).replace(/^.*SoX v/s, ''),
  voices: VOICES,
  soxEffects: SOX_EFFECTS.join(' '),
};
// Stable order (languages, then ids as the catalog lists them); entries for ids no longer shipped go.
const ordered = {};
for (const lang of Object.keys(VOICES)) {
  if (!manifest.prompts[lang]) continue;
  ordered[lang] = {};
  for (const p of shippedPrompts(lang)) if (manifest.prompts[lang][p.id] !== undefined) ordered[lang][p.id] = manifest.prompts[lang][p.id];
}
writeFileSync(MANIFEST, `${JSON.stringify({ generator: manifest.generator, prompts: ordered }, null, 2)}\n`);
console.log(`${count} prompt(s) written, ${(bytes / 1024).toFixed(0)} KiB`);
