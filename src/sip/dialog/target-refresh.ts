/**
 * Target refresh requests: requests that can change a dialog's remote target (RFC 3261
 * §12.2: re-INVITE; RFC 3311 §5.1: UPDATE; RFC 6665 §4.1.2.3 / §4.2.2: SUBSCRIBE and NOTIFY).
 * A UAC SHOULD put a Contact in them (§12.2.1.1); a UAS replaces its remote target with
 * their Contact (§12.2.2); a UAC does so with the Contact of their 2xx (§12.2.1.2).
 */
export const TARGET_REFRESH_METHODS: ReadonlySet<string> = new Set(['INVITE', 'UPDATE', 'SUBSCRIBE', 'NOTIFY']);

export function isTargetRefresh(method: string): boolean {
  return TARGET_REFRESH_METHODS.has(method);
}
