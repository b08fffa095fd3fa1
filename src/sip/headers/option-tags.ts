/**
 * Option tags (RFC 3261 §19.2): Supported (§20.37), Require (§20.32), Proxy-Require
 * (§20.29), Unsupported (§20.40). Each is `option-tag *(COMMA option-tag)`, option-tag = token.
 * Tags are returned as written; registered tags are lower-case and callers compare exactly.
 */
import { SipSyntaxError } from '../errors.js';
import type { SipMessage } from '../message.js';
import { isTokenString } from './grammar.js';
import { splitAll } from './list.js';

function parseTags(values: string[]): string[] {
  const tags = splitAll(values);
  for (const t of tags) if (!isTokenString(t)) throw new SipSyntaxError(`option tag ${JSON.stringify(t.slice(0, 40))} is not a token`);
  return tags;
}

export function supported(m: SipMessage): string[] {
  return m.headers.typed('supported', parseTags);
}

export function requireTags(m: SipMessage): string[] {
  return m.headers.typed('require', parseTags);
}

export function proxyRequire(m: SipMessage): string[] {
  return m.headers.typed('proxy-require', parseTags);
}

export function unsupported(m: SipMessage): string[] {
  return m.headers.typed('unsupported', parseTags);
}

/** Allow (RFC 3261 §20.5): methods, tokens. */
export function allow(m: SipMessage): string[] {
  return m.headers.typed('allow', parseTags);
}
