/**
 * Cyrillic and Greek letters that look like Latin ones, read as those Latin letters, so "СЕКРЕТ"-style spellings
 * of "SECRET" (Cyrillic С, Е, К, Р, Т) are found. Each pair is mapped upper to upper and lower to lower, so case
 * folding after the mapping gives the same letter as before it, for the text and for an administrator's keyword
 * alike. A small table rather than Unicode's whole confusables list: that list also maps digits, punctuation and
 * CJK strokes, which would change what the number detectors and Chinese keywords read.
 */
export const LOOK_ALIKES: ReadonlyMap<string, string> = new Map(
  [
    // Cyrillic
    'АA аa ВB вb ЕE еe ЁE ёe ЅS ѕs ІI іi ЇI їi ЈJ јj КK кk МM мm НH нh ОO оo РP рp СC сc ТT тt УY уy ХX хx',
    'ԚQ ԛq ԜW ԝw ҺH һh ӀI ӏl ԁd ԌG ɡg',
    // Greek
    'ΑA αa ΒB βb ΕE εe ΖZ ζz ΗH ηh ΙI ιi ΚK κk ΜM μm ΝN νn ΟO οo ΡP ρp ΤT τt ΥY υy ΧX χx',
    // Latin letters without a dot or with a hook that pass for plain ones
    'ıi ȷj ɩi',
  ]
    .join(' ')
    .split(' ')
    .map((pair) => [pair[0]!, pair[1]!] as const),
);
