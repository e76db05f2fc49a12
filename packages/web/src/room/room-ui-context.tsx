import type { RoomSummary, User } from '@enclave/protocol';
import { createContext, useContext } from 'react';

/** What the messages of the open room need from the room around them, without threading it through every prop. */
export interface RoomUi {
  room: RoomSummary;
  /** The room's members as people, for mention suggestions and presence; empty until fetched. */
  members: User[];
  openThread(rootId: string): void;
  /** The message being edited in place, if any (one at a time, in the room or the thread panel). */
  editingId: string | undefined;
  setEditingId(messageId: string | undefined): void;
}

export const RoomUiContext = createContext<RoomUi | undefined>(undefined);

export function useRoomUi(): RoomUi {
  const ui = useContext(RoomUiContext);
  if (!ui) throw new Error('useRoomUi needs a RoomUiContext');
  return ui;
}
