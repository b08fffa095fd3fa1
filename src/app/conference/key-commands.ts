/**
 * What each in-conference key command does (conference-keys.ts has the key map): self
 * mute/unmute and the participant count for anyone; mute/unmute the others, lock/unlock and
 * removing the last participant who joined for an administrator. Each is confirmed with a
 * prompt to the participant who pressed it; an admin key from someone else gets "that is not
 * a valid choice".
 */
import { ADMIN_COMMANDS, type KeyCommand } from './conference-keys.js';
import type { RoomCall } from './room-call.js';

export function runKeyCommand(call: RoomCall, cmd: KeyCommand): void {
  const p = call.participant;
  const room = call.room;
  if (!p || !room) return;
  if (ADMIN_COMMANDS.has(cmd) && p.role !== 'admin') return call.say(['ivr-invalid-choice']);
  switch (cmd) {
    case 'toggle-mute':
      room.setMuted(p, !p.muted);
      return call.say([p.muted ? 'conf-muted' : 'conf-unmuted']);
    case 'count':
      return call.say(sayCount(call, room.size));
    case 'mute-others':
    case 'unmute-others': {
      const muted = cmd === 'mute-others';
      for (const q of room.participants) if (q !== p) room.setMuted(q, muted);
      return call.say([muted ? 'conf-all-muted' : 'conf-all-unmuted']);
    }
    case 'toggle-lock':
      room.locked = !room.locked;
      return call.say([room.locked ? 'conf-now-locked' : 'conf-now-unlocked']);
    case 'remove-last': {
      const last = [...room.participants].reverse().find((q) => q !== p);
      if (!last) return call.say(['ivr-invalid-choice']);
      last.call.kick(`removed by ${call.identity.number} (*7)`);
      return call.say(['conf-last-removed']);
    }
  }
}

function sayCount(call: RoomCall, n: number): string[] {
  if (n <= 1) return ['conf-only-participant'];
  return call.catalogIds(n);
}
