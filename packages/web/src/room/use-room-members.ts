import type { User } from '@enclave/protocol';
import { useEffect, useState } from 'react';
import { api } from '../app/api';
import { usePeople } from '../people/people-context';

/** The open room's members as people; fetched again whenever the member count changes. */
export function useRoomMembers(roomId: string, memberCount: number): User[] {
  const people = usePeople();
  const [ids, setIds] = useState<string[]>([]);
  useEffect(() => {
    let current = true;
    api.endpoint('listMembers')({ params: { roomId } }).then(
      ({ members }) => current && setIds(members.map((member) => member.userId)),
      () => undefined, // Without the list, mention suggestions and presence simply stay empty.
    );
    return () => {
      current = false;
    };
  }, [roomId, memberCount]);
  return ids.flatMap((id) => people.byId.get(id) ?? []);
}
