/** Opens the store of the configured data directory with the room rules, for one command. */
import { Rooms } from '../../app/rooms/rooms.js';
import type { Config } from '../../config/config.js';
import type { Store } from '../../store/store.js';
import { withDirectory, type CliContext } from '../cli-context.js';

export interface RoomSession {
  config: Config;
  store: Store;
  rooms: Rooms;
}

export function withRooms<T>(configOption: string | undefined, ctx: CliContext, fn: (s: RoomSession) => T | Promise<T>): Promise<T> {
  return withDirectory(configOption, ctx, ({ config, store }) => fn({ config, store, rooms: new Rooms(store, { now: ctx.deps.now }) }));
}
