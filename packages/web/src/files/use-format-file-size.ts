import { useTranslation } from 'react-i18next';
import { formatFileSize } from './file-size';

/** formatFileSize in the page's current language. */
export function useFormatFileSize(): (bytes: number) => string {
  const { i18n } = useTranslation();
  return (bytes) => formatFileSize(bytes, i18n.language);
}
