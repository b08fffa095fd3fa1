/**
 * In-conference keys (issue 5; the key map is in README.md, "Conference keys"): `*` then one
 * key, sent as RFC 4733 events or SIP INFO. Pure: keys in, a command out.
 *
 *   *6  mute / unmute yourself (anyone)
 *   *0  say how many participants there are (anyone)
 *   *1  mute everyone but yourself (admin)      *2  unmute everyone (admin)
 *   *5  lock / unlock the room (admin)          *7  remove the last participant who joined (admin)
 *
 * A key without a `*` before it, or a `*` followed by a key that means nothing, is ignored.
 */
export type KeyCommand = 'toggle-mute' | 'count' | 'mute-others' | 'unmute-others' | 'toggle-lock' | 'remove-last';

const COMMANDS: Readonly<Record<string, KeyCommand>> = {
  '6': 'toggle-mute',
  '0': 'count',
  '1': 'mute-others',
  '2': 'unmute-others',
  '5': 'toggle-lock',
  '7': 'remove-last',
};

/** Commands only an administrator (admin PIN, or the private room's owner) may use. */
export const ADMIN_COMMANDS: ReadonlySet<KeyCommand> = new Set(['mute-others', 'unmute-others', 'toggle-lock', 'remove-last']);

export class ConferenceKeys {
  private armed = false;

  /** One key; returns the command it completes, if any. */
  press(key: string): KeyCommand | undefined {
    if (key === '*') {
      this.armed = true;
      return undefined;
    }
    const was = this.armed;
    this.armed = false;
    return was ? COMMANDS[key] : undefined;
  }
}
