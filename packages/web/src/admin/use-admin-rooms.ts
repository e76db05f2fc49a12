import type { EndpointOutput, Room } from '@enclave/protocol';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, describeError } from '../app/api';

const PAGE_SIZE = 50;

export interface RoomFilter {
  nameContains: string;
  departmentId: string;
  /** Whole days without a message; 0 means no idleness filter. */
  idleDays: number;
}

export type AdminRoomRow = EndpointOutput<'adminListRooms'>['rooms'][number];

/** The rooms the console shows: found on the server by the filter, loaded a page at a time. */
export function useAdminRooms(filter: RoomFilter) {
  const [rooms, setRooms] = useState<AdminRoomRow[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | undefined>();
  const { nameContains, departmentId, idleDays } = filter;
  // Typing in a filter sends a request per change; only the newest answer may fill the table.
  const latestRequest = useRef(0);

  const load = useCallback(
    async (cursor: string | null) => {
      const query = {
        limit: PAGE_SIZE,
        ...(nameContains ? { q: nameContains } : {}),
        ...(departmentId ? { departmentId } : {}),
        ...(idleDays > 0 ? { idleDays } : {}),
        ...(cursor ? { cursor } : {}),
      };
      const request = ++latestRequest.current;
      try {
        const page = await api.endpoint('adminListRooms')({ query });
        if (request !== latestRequest.current) return;
        setRooms((current) => (cursor ? [...current, ...page.rooms] : page.rooms));
        setNextCursor(page.nextCursor);
        setError(undefined);
      } catch (failure) {
        if (request === latestRequest.current) setError(describeError(failure));
      }
    },
    [nameContains, departmentId, idleDays],
  );

  const reload = useCallback(() => void load(null), [load]);
  useEffect(reload, [reload]);

  return {
    rooms,
    error,
    hasMore: nextCursor !== null,
    loadMore: () => void load(nextCursor),
    /** Puts the server's fresh copies in place; owners do not change by freezing, so the old ones are kept. */
    replace: (changed: Room[]) => {
      const byId = new Map(changed.map((room) => [room.id, room]));
      setRooms((current) => current.map((room) => ({ ...room, ...byId.get(room.id) })));
    },
    remove: (roomIds: string[]) => setRooms((current) => current.filter((room) => !roomIds.includes(room.id))),
  };
}
