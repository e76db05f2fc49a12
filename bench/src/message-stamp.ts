/**
 * Each bench message carries who sent it, its sequence number for that sender and when it was sent
 * (performance.now() of the load generator, which also receives it: one clock, no skew). Receivers check the
 * sequence to find losses and duplicates, and the time to measure latency.
 */
export interface Stamp {
  sender: number;
  seq: number;
  sentAt: number;
}

export function stampText(stamp: Stamp): string {
  return `bench ${stamp.sender} ${stamp.seq} t:${stamp.sentAt.toFixed(3)}`;
}

export function readStamp(text: string): Stamp | undefined {
  const [tag, sender, seq, time] = text.split(' ');
  if (tag !== 'bench' || sender === undefined || seq === undefined || !time?.startsWith('t:')) return undefined;
  return { sender: Number(sender), seq: Number(seq), sentAt: Number(time.slice(2)) };
}
