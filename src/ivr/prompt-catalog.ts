/**
 * PromptCatalog: turns prompt ids into the files the media engine plays.
 *
 * Layout, the same for the shipped prompts and an operator's directory (config `ivr.promptsDir`):
 *   <dir>/<language>/<id>.wav
 * Lookup order for (id, language): operator's <language>, shipped <language>, then the same two in
 * English; the first file the media engine can play wins (a WAV, mono, 8 or 16 kHz, 16-bit PCM or
 * G.711). An operator file it cannot play is skipped, and falling back to English is logged, each
 * once per file or per (language, id). Files are looked up on every call (a stat; headers are read
 * once per file version), so a recording dropped into the operator's directory counts from the next
 * lookup without a restart.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { silentLogger, type Logger } from '../log/logger.js';
import type { PromptId } from './ivr-types.js';
import { FALLBACK_LANGUAGE, isLanguage, LANGUAGES, type Language } from './language.js';
import { NUMBER_GRAMMARS } from './number-words.js';
import { PHRASES } from './prompt-phrases.js';
import { sayDigits, sayNumber, sayParticipantCount } from './say-number.js';
import { readWavInfo, unplayableReason } from './wav-info.js';

/** The prompts shipped with the package (compiled to dist/src/ivr/: the root is three levels up). */
export const SHIPPED_PROMPTS_DIR = fileURLToPath(new URL('../../../media/prompts', import.meta.url));

/** A shipped prompt of one language, and what it says. */
export interface ShippedPrompt {
  id: PromptId;
  text: string;
}

/**
 * What each language ships: every phrase (the same ids in all languages), then the number words its
 * grammar composes numbers from (different sets: Italian has whole words for ventuno, ventotto ...).
 */
export function shippedPrompts(language: Language): ShippedPrompt[] {
  return [...PHRASES.map((p) => ({ id: p.id, text: p.texts[language] })), ...NUMBER_GRAMMARS[language].words];
}

const SHIPPED = new Map(LANGUAGES.map((l) => [l, new Map(shippedPrompts(l).map((p) => [p.id, p.text]))]));
/** Ids become file names: lower-case words joined by '-', nothing that could leave the directory. */
const ID_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const HEADER_BYTES = 4096;

export interface PromptCatalogOptions {
  /** The shipped prompts; default SHIPPED_PROMPTS_DIR. */
  baseDir?: string;
  /** The operator's recordings (config `ivr.promptsDir`). */
  overrideDir?: string;
  log?: Logger;
}

interface Candidate {
  path: string;
  language: Language;
  override: boolean;
}

export class PromptCatalog {
  private readonly baseDir: string;
  private readonly overrideDir: string | undefined;
  private readonly log: Logger;
  /** path -> the file version (mtime, size) checked, and why it cannot be played (undefined: it can). */
  private readonly checked = new Map<string, { version: string; problem: string | undefined }>();
  private readonly logged = new Set<string>();

  constructor(opts: PromptCatalogOptions = {}) {
    this.baseDir = opts.baseDir ?? SHIPPED_PROMPTS_DIR;
    this.overrideDir = opts.overrideDir;
    this.log = opts.log ?? silentLogger;
  }

  /** Absolute path of the file to play for `id` in `language` (operator's first, English as last resort). */
  file(id: PromptId, language: Language): string {
    checkId(id);
    checkLanguage(language);
    for (const c of this.candidates(id, language)) {
      if (!this.playable(c)) continue;
      if (c.language !== language) {
        this.once(`fallback:${language}:${id}`, () =>
          this.log.warn({ event: 'ivr.prompt.fallback', id, language, file: c.path }, `prompt ${id} has no ${language} file; playing the English one`),
        );
      }
      return c.path;
    }
    throw new Error(`prompt ${id}: no playable file for ${language} or ${FALLBACK_LANGUAGE} under ${this.dirs().join(' or ')}`);
  }

  files(ids: readonly PromptId[], language: Language): string[] {
    return ids.map((id) => this.file(id, language));
  }

  /** Whether `language` itself has a playable file for `id` (the operator's or a shipped one), without falling back. */
  has(id: PromptId, language: string): boolean {
    if (!ID_PATTERN.test(id) || !isLanguage(language)) return false;
    return this.candidates(id, language).some((c) => c.language === language && this.playable(c));
  }

  /**
   * The ids shipped for `language` (phrases, then its number words); without a language, every id
   * shipped in any. An operator's directory may add ids of its own; `file` resolves those too.
   */
  ids(language?: Language): PromptId[] {
    if (language !== undefined) return [...SHIPPED.get(language)!.keys()];
    return [...new Set(LANGUAGES.flatMap((l) => [...SHIPPED.get(l)!.keys()]))];
  }

  /** The text a shipped prompt says in `language` (for logs); undefined for ids it does not ship. */
  text(id: PromptId, language: Language): string | undefined {
    return SHIPPED.get(language)?.get(id);
  }

  sayNumber(n: number, language: Language): PromptId[] {
    return sayNumber(n, language);
  }

  sayDigits(digits: string): PromptId[] {
    return sayDigits(digits);
  }

  sayParticipantCount(n: number, language: Language): PromptId[] {
    return sayParticipantCount(n, language);
  }

  private dirs(): string[] {
    return this.overrideDir === undefined ? [this.baseDir] : [this.overrideDir, this.baseDir];
  }

  private candidates(id: PromptId, language: Language): Candidate[] {
    const languages = language === FALLBACK_LANGUAGE ? [language] : [language, FALLBACK_LANGUAGE];
    const out: Candidate[] = [];
    for (const lang of languages) {
      if (this.overrideDir !== undefined) out.push({ path: join(this.overrideDir, lang, `${id}.wav`), language: lang, override: true });
      out.push({ path: join(this.baseDir, lang, `${id}.wav`), language: lang, override: false });
    }
    return out;
  }

  private playable(c: Candidate): boolean {
    let version: string;
    try {
      const st = statSync(c.path);
      if (!st.isFile()) return false;
      version = `${st.mtimeMs}:${st.size}`;
    } catch {
      return false; // no such file: the next candidate
    }
    let entry = this.checked.get(c.path);
    if (entry?.version !== version) {
      entry = { version, problem: headerProblem(c.path) };
      this.checked.set(c.path, entry);
    }
    if (entry.problem !== undefined) {
      const problem = entry.problem;
      this.once(`unplayable:${c.path}:${version}`, () =>
        this.log.warn({ event: 'ivr.prompt.unplayable', file: c.path, problem, override: c.override }, `prompt file ${c.path} skipped: ${problem}`),
      );
      return false;
    }
    return true;
  }

  private once(key: string, logIt: () => void): void {
    if (this.logged.has(key)) return;
    this.logged.add(key);
    logIt();
  }
}

function headerProblem(path: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const head = Buffer.alloc(HEADER_BYTES);
    const n = readSync(fd, head, 0, HEADER_BYTES, 0);
    return unplayableReason(readWavInfo(head.subarray(0, n)));
  } catch (err) {
    return (err as Error).message;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function checkId(id: PromptId): void {
  if (!ID_PATTERN.test(id)) throw new RangeError(`prompt id ${JSON.stringify(id)} must be lower-case words joined by '-'`);
}

function checkLanguage(language: string): void {
  if (!isLanguage(language)) throw new RangeError(`prompt language ${JSON.stringify(language)} must be en, it or ru`);
}
