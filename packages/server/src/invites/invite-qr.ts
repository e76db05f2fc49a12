import QRCode from 'qrcode';

/**
 * Medium error correction survives a smudged screen or print; the quiet zone of 4 modules is what the QR standard
 * asks for, so every camera app finds the code.
 */
const options = { errorCorrectionLevel: 'M', margin: 4 } as const;

export function inviteQrSvg(url: string): Promise<string> {
  return QRCode.toString(url, { ...options, type: 'svg' });
}

export function inviteQrPng(url: string): Promise<Buffer> {
  return QRCode.toBuffer(url, { ...options, type: 'png', width: 320 });
}
