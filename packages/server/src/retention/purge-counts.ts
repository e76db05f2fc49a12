import type { PurgeRunResponse } from '@enclave/protocol';

export interface RoomCount {
  messages: number;
  files: number;
}

/** What a purge erased, per room, and how many due messages holds kept: counts only, never content. */
export class PurgeCounts {
  readonly rooms = new Map<string, RoomCount>();
  keptByHolds = 0;

  /** These counts with one batch's added, leaving these as they are (the batch may yet roll back). */
  plus(batch: ReadonlyMap<string, RoomCount>, keptByHolds: number): PurgeCounts {
    const sum = new PurgeCounts();
    sum.add(this);
    for (const [roomId, count] of batch) sum.addRoom(roomId, count);
    sum.keptByHolds += keptByHolds;
    return sum;
  }

  add(other: PurgeCounts): void {
    for (const [roomId, count] of other.rooms) this.addRoom(roomId, count);
    this.keptByHolds += other.keptByHolds;
  }

  messages(): number {
    return [...this.rooms.values()].reduce((total, count) => total + count.messages, 0);
  }

  /** As the officer's "purge now" answers, and as the audit entry records. */
  summary(finished: boolean): PurgeRunResponse {
    const rooms = [...this.rooms.entries()].map(([roomId, count]) => ({ roomId, ...count }));
    const files = rooms.reduce((total, count) => total + count.files, 0);
    return { finished, messages: this.messages(), files, keptByHolds: this.keptByHolds, rooms };
  }

  private addRoom(roomId: string, count: RoomCount): void {
    const total = this.rooms.get(roomId) ?? { messages: 0, files: 0 };
    this.rooms.set(roomId, { messages: total.messages + count.messages, files: total.files + count.files });
  }
}
