/**
 * Ways a careful insider tries to get marked content, identity, card and mobile numbers past DLP rules that block
 * everywhere: the 49 tries of issue 13 that concern text (file formats are covered by the extraction tests) and
 * more. Each variant is one message, or several sent one after the other by the same person in the same room
 * (`parts`); it counts as caught when any part is refused.
 */
export interface Evasion {
  name: string;
  parts: string[];
}

/** A valid resident identity number, a Luhn-valid UnionPay card and a mobile number, as the variants disguise them. */
export const RESIDENT_ID = '11010519491231002X';
export const CARD = '6222021234567894';
export const MOBILE = '13812345678';
/** The keyword lists of the corpus's rules, beside the built-ins. */
export const KEYWORDS = ['猎鹰计划', 'Project Falcon', '内部资料'];

const ZWSP = '\u200B';
const ZWJ = '\u200D';
const ZWNJ = '\u200C';
const WORD_JOINER = '\u2060';
const BOM = '\uFEFF';
const SOFT_HYPHEN = '\u00AD';
const NBSP = '\u00A0';
const IDEOGRAPHIC_SPACE = '\u3000';

/** Full-width forms of ASCII letters, digits and symbols. */
const fullWidth = (text: string) => text.replace(/[!-~]/g, (character) => String.fromCharCode(character.charCodeAt(0) + 0xfee0)).replace(/ /g, IDEOGRAPHIC_SPACE);
/** The text in groups of the given sizes joined by the separators, cycling through them. */
const grouped = (text: string, sizes: number[], separators: string[]) => {
  const groups: string[] = [];
  let at = 0;
  for (const size of sizes) {
    groups.push(text.slice(at, at + size));
    at += size;
  }
  return groups.reduce((joined, group, i) => joined + separators[(i - 1) % separators.length] + group);
};
const between = (text: string, separator: string) => [...text].join(separator);
const decimalEntities = (text: string) => [...text].map((character) => `&#${character.codePointAt(0)};`).join('');
const hexEntities = (text: string) => [...text].map((character) => `&#x${character.codePointAt(0)!.toString(16)};`).join('');
const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
/** Mathematical bold capitals and digits, which NFKC reads as plain ones. */
const mathBold = (text: string) =>
  [...text]
    .map((character) => {
      const code = character.charCodeAt(0);
      if (code >= 0x41 && code <= 0x5a) return String.fromCodePoint(0x1d400 + code - 0x41);
      if (code >= 0x30 && code <= 0x39) return String.fromCodePoint(0x1d7ce + code - 0x30);
      return character;
    })
    .join('');
/** Cyrillic letters that look like the Latin ones they replace. */
const cyrillic = (text: string) => text.replace(/[ACEOPXaceopx]/g, (letter) => 'АСЕОРХасеорх'['ACEOPXaceopx'.indexOf(letter)]!);
const greek = (text: string) => text.replace(/[ABEIKMNOPTX]/g, (letter) => 'ΑΒΕΙΚΜΝΟΡΤΧ'['ABEIKMNOPTX'.indexOf(letter)]!);

const one = (name: string, text: string): Evasion => ({ name, parts: [text] });

const identityNumbers: Evasion[] = [
  one('ID glued to Chinese text', `身份证号${RESIDENT_ID}请核对`),
  one('ID in full-width digits', `身份证：${fullWidth(RESIDENT_ID)}`),
  one('ID grouped 6-8-4 by spaces', `ID ${grouped(RESIDENT_ID, [6, 8, 4], [' '])}`),
  one('ID grouped 3-3-4-4-4 by spaces', grouped(RESIDENT_ID, [3, 3, 4, 4, 4], [' '])),
  one('ID grouped by dashes', grouped(RESIDENT_ID, [6, 8, 4], ['-'])),
  one('ID grouped by dots', grouped(RESIDENT_ID, [6, 4, 4, 4], ['.'])),
  one('ID grouped by slashes', grouped(RESIDENT_ID, [6, 8, 4], ['/'])),
  one('ID grouped by mixed separators', grouped(RESIDENT_ID, [6, 4, 4, 4], [' ', '-', '.'])),
  one('ID grouped by underscores', grouped(RESIDENT_ID, [6, 8, 4], ['_'])),
  one('ID grouped by ideographic spaces', grouped(RESIDENT_ID, [6, 8, 4], [IDEOGRAPHIC_SPACE])),
  one('ID grouped by no-break spaces', grouped(RESIDENT_ID, [6, 8, 4], [NBSP])),
  one('ID grouped by space-dash-space', grouped(RESIDENT_ID, [6, 8, 4], [' - '])),
  one('ID grouped by en dashes', grouped(RESIDENT_ID, [6, 8, 4], ['\u2013'])),
  one('ID grouped by middle dots', grouped(RESIDENT_ID, [6, 8, 4], ['·'])),
  one('ID with a space after every digit', between(RESIDENT_ID, ' ')),
  one('ID with zero-width spaces between the digits', between(RESIDENT_ID, ZWSP)),
  one('ID with soft hyphens between the digits', between(RESIDENT_ID, SOFT_HYPHEN)),
  one('ID with word joiners inside', grouped(RESIDENT_ID, [6, 8, 4], [WORD_JOINER])),
  one('ID in full-width digits grouped by full-width dashes', fullWidth(grouped(RESIDENT_ID, [6, 8, 4], ['-']))),
  one('ID in mathematical bold digits', mathBold(RESIDENT_ID)),
  one('ID as HTML decimal references', decimalEntities(RESIDENT_ID)),
  one('ID as HTML hex references', hexEntities(RESIDENT_ID)),
  one('ID in base64', `data: ${base64(RESIDENT_ID)}`),
  one('ID with lower-case x', RESIDENT_ID.toLowerCase()),
  { name: 'ID split over two messages', parts: ['身份证 110105 1949', '1231 002X'] },
  { name: 'ID split over three messages', parts: ['110105', '19491231', '002X'] },
  { name: 'ID split over two messages without separators', parts: ['号码是1101051949', '1231002X'] },
];

const cardNumbers: Evasion[] = [
  one('card solid', `卡号${CARD}`),
  one('card in full-width digits', fullWidth(CARD)),
  one('card grouped by dots', grouped(CARD, [4, 4, 4, 4], ['.'])),
  one('card grouped by slashes', grouped(CARD, [4, 4, 4, 4], ['/'])),
  one('card grouped by mixed separators', grouped(CARD, [4, 4, 4, 4], [' ', '-', '.'])),
  one('card grouped 2-by-2 by spaces', grouped(CARD, [2, 2, 2, 2, 2, 2, 2, 2], [' '])),
  one('card grouped 3-by-3', grouped(CARD, [3, 3, 3, 3, 4], ['-'])),
  one('card grouped by underscores', grouped(CARD, [4, 4, 4, 4], ['_'])),
  one('card grouped by ideographic spaces', grouped(CARD, [4, 4, 4, 4], [IDEOGRAPHIC_SPACE])),
  one('card with zero-width joiners inside', grouped(CARD, [4, 4, 4, 4], [ZWJ])),
  one('card with a space after every digit', between(CARD, ' ')),
  one('card as HTML references', decimalEntities(CARD)),
  one('card in base64', base64(`card ${CARD}`)),
  one('card in mathematical bold digits', mathBold(CARD)),
  { name: 'card split over two messages', parts: ['付款卡 6222 0212', '3456 7894'] },
  { name: 'card split over three messages', parts: ['6222', '0212 3456', '7894 谢谢'] },
];

const mobileNumbers: Evasion[] = [
  one('mobile in full-width digits', `电话${fullWidth(MOBILE)}`),
  one('mobile grouped by dots', grouped(MOBILE, [3, 4, 4], ['.'])),
  one('mobile grouped by slashes', grouped(MOBILE, [3, 4, 4], ['/'])),
  one('mobile grouped by mixed separators', grouped(MOBILE, [3, 4, 4], [' ', '-'])),
  one('mobile grouped 4-4-3', grouped(MOBILE, [4, 4, 3], [' '])),
  one('mobile with a space after every digit', between(MOBILE, ' ')),
  one('mobile with zero-width spaces inside', between(MOBILE, ZWSP)),
  one('mobile with +86 and dots', `+86.${grouped(MOBILE, [3, 4, 4], ['.'])}`),
  one('mobile as HTML references', decimalEntities(MOBILE)),
  one('mobile in base64', base64(`tel ${MOBILE}`)),
  { name: 'mobile split over two messages', parts: ['我的手机 138', '1234 5678'] },
];

const chineseMarkings: Evasion[] = [
  one('marking in brackets', '【机密】季度预算'),
  one('traditional 機密', '這份文件是機密'),
  one('traditional 絕密', '絕密文件，勿外傳'),
  one('variant 祕密', '這是祕密'),
  one('marking with a space inside', '机 密文件'),
  one('marking with an ideographic space inside', `绝${IDEOGRAPHIC_SPACE}密`),
  one('marking with a zero-width space inside', `绝${ZWSP}密`),
  one('marking with a zero-width joiner inside', `机${ZWJ}密`),
  one('marking with a zero-width non-joiner inside', `秘${ZWNJ}密资料`),
  one('marking with a byte order mark inside', `机${BOM}密`),
  one('marking with a soft hyphen inside', `机${SOFT_HYPHEN}密`),
  one('marking with a middle dot inside', '绝·密'),
  one('marking with a dash inside', '机-密'),
  one('marking with a slash inside', '机/密'),
  one('traditional marking with a space inside', '機 密'),
  one('traditional marking with a zero-width space', `絕${ZWSP}密`),
  one('marking as HTML hex references', hexEntities('机密')),
  one('marking as HTML decimal references', `文件级别 ${decimalEntities('绝密')}`),
  one('marking in base64', `请解码 ${base64('机密文件')}`),
  one('marking inside a sentence', '这份方案属于公司机密，请勿外传'),
];

const pinyinMarkings: Evasion[] = [
  one('pinyin jue mi', 'this file is jue mi'),
  one('pinyin juemi', 'juemi, do not share'),
  one('pinyin JUEMI', 'JUEMI'),
  one('pinyin ji mi', 'ji mi wen jian'),
  one('pinyin Ji Mi', 'Ji Mi'),
  one('pinyin with tone marks', 'jué mì'),
  one('pinyin with a hyphen', 'ji-mi'),
];

const englishMarkings: Evasion[] = [
  one('TOP SECRET', 'TOP SECRET plan'),
  one('Top Secret', 'Top Secret plan'),
  one('top secret', 'this is top secret'),
  one('tOp SeCrEt', 'tOp SeCrEt'),
  one('full-width TOP SECRET', fullWidth('TOP SECRET')),
  one('full-width lower-case top secret', fullWidth('top secret')),
  one('top-secret', 'top-secret roadmap'),
  one('topsecret', 'topsecret roadmap'),
  one('top_secret', 'top_secret'),
  one('TOP.SECRET', 'TOP.SECRET'),
  one('spaced T O P S E C R E T', 'T O P  S E C R E T'),
  one('spaced S E C R E T', 'S E C R E T'),
  one('dashed S-E-C-R-E-T', 'S-E-C-R-E-T'),
  one('dotted s.e.c.r.e.t', 's.e.c.r.e.t'),
  one('SECRET with Cyrillic letters', cyrillic('SECRET')),
  one('CONFIDENTIAL with Cyrillic letters', cyrillic('CONFIDENTIAL')),
  one('TOP SECRET with Greek letters', greek('TOP SECRET')),
  one('SECRET with a soft hyphen', `SE${SOFT_HYPHEN}CRET`),
  one('CONFIDENTIAL with a zero-width space', `CONFI${ZWSP}DENTIAL`),
  one('SECRET in mathematical bold', mathBold('SECRET')),
  one('full-width CONFIDENTIAL', fullWidth('CONFIDENTIAL')),
  one('[secret] in brackets', '[secret] launch plan'),
  one('【Confidential】', '【Confidential】报价单'),
  one('Confidential: as a heading', 'Confidential: Q3 numbers'),
  one('sEcReT in odd case', 'this is sEcReT'),
  one('CONFIDENTIAL with accents', 'CÖNFIDÉNTIAL'),
  one('SECRET as HTML references', decimalEntities('SECRET')),
  one('TOP SECRET in base64', base64('TOP SECRET')),
];

const keywords: Evasion[] = [
  one('keyword with a space inside', '猎鹰 计划'),
  one('keyword in traditional characters', '獵鷹計劃進度'),
  one('keyword with a zero-width space', `猎${ZWSP}鹰计划`),
  one('English keyword with a hyphen', 'Project-Falcon kickoff'),
  one('English keyword without the space', 'ProjectFalcon kickoff'),
  one('English keyword in capitals', 'PROJECT FALCON'),
  one('English keyword in full width', fullWidth('Project Falcon')),
  one('English keyword with Cyrillic letters', cyrillic('Project Falcon')),
  one('English keyword with underscores', 'project_falcon'),
  one('English keyword spaced out', 'P r o j e c t F a l c o n'),
  one('keyword as HTML references', hexEntities('内部资料')),
  one('keyword in base64', base64('内部资料')),
];

const emails: Evasion[] = [
  one('e-mail with a full-width at sign', 'zhang.san＠example.com'),
  one('e-mail with the at sign as an HTML reference', 'zhang.san&#64;example.com'),
];

export const EVASIONS: readonly Evasion[] = [...identityNumbers, ...cardNumbers, ...mobileNumbers, ...chineseMarkings, ...pinyinMarkings, ...englishMarkings, ...keywords, ...emails];
