import type { MessageRestrictions } from '@enclave/protocol';

// One integer column holds a message's restrictions, one bit each.
const bits = { noForward: 1, noCopy: 2, noDownload: 4 } as const satisfies Record<keyof MessageRestrictions, number>;

export function restrictionsFromBits(value: number): MessageRestrictions {
  return { noForward: (value & bits.noForward) !== 0, noCopy: (value & bits.noCopy) !== 0, noDownload: (value & bits.noDownload) !== 0 };
}

export function restrictionsToBits(restrictions: Partial<MessageRestrictions>): number {
  return (Object.keys(bits) as (keyof MessageRestrictions)[]).reduce((value, key) => (restrictions[key] ? value | bits[key] : value), 0);
}
