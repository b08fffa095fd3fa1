/**
 * Side effects of a directory change that the operator did not type but must be told
 * about ("main extension of Alice is now 1002"). The CLI prints one line per effect.
 */
export type DirectoryEffect =
  | { kind: 'primary-set'; device: string; user: string; previous?: string }
  | { kind: 'primary-cleared'; device: string; user: string }
  | { kind: 'main-extension-changed'; user: string; from: string; to: string }
  | { kind: 'registrations-removed'; device: string; count: number }
  | { kind: 'device-moved'; device: string; from: string; to: string }
  | { kind: 'room-removed'; room: string; name: string; owner: string };

export function describeEffect(effect: DirectoryEffect): string {
  switch (effect.kind) {
    case 'primary-set':
      return `device ${effect.device} is now the primary device of ${effect.user}` + (effect.previous ? ` (was ${effect.previous})` : '');
    case 'primary-cleared':
      return `${effect.user} has no primary device any more (${effect.device} was)`;
    case 'main-extension-changed':
      return `main extension of ${effect.user} changed from ${effect.from} to ${effect.to}`;
    case 'registrations-removed':
      return `${effect.count} registration${effect.count === 1 ? '' : 's'} of device ${effect.device} removed`;
    case 'device-moved':
      return `device ${effect.device} moved from ${effect.from} to ${effect.to}`;
    case 'room-removed':
      return `private room ${effect.room} (${effect.name}) of ${effect.owner} removed`;
  }
}
