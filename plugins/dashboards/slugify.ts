// Grafana's dashboard slug (pkg/infra/slugify): the same input gives the same URL as in Grafana.
import { createHash } from 'node:crypto'

const REPLACEMENTS: Record<string, string> = {
  '&': 'and', '@': 'at', '©': 'c', '®': 'r', Æ: 'ae', ß: 'ss', à: 'a', á: 'a', â: 'a', ä: 'a', å: 'a', æ: 'ae', ç: 'c',
  è: 'e', é: 'e', ê: 'e', ë: 'e', ì: 'i', í: 'i', î: 'i', ï: 'i', ò: 'o', ó: 'o', ô: 'o', õ: 'o', ö: 'o', ø: 'o', ù: 'u',
  ú: 'u', û: 'u', ü: 'ue', ý: 'y', þ: 'p', ÿ: 'y', ā: 'a', ă: 'a', Ą: 'a', ą: 'a', ć: 'c', ĉ: 'c', ċ: 'c', č: 'c', ď: 'd',
  đ: 'd', ē: 'e', ĕ: 'e', ė: 'e', ę: 'e', ě: 'e', ĝ: 'g', ğ: 'g', ġ: 'g', ģ: 'g', ĥ: 'h', ħ: 'h', ĩ: 'i', ī: 'i', ĭ: 'i',
  į: 'i', ı: 'i', ĳ: 'ij', ĵ: 'j', ķ: 'k', ĸ: 'k', Ĺ: 'l', ĺ: 'l', ļ: 'l', ľ: 'l', ŀ: 'l', ł: 'l', ń: 'n', ņ: 'n', ň: 'n',
  ŉ: 'n', ŋ: 'n', ō: 'o', ŏ: 'o', ő: 'o', Œ: 'oe', œ: 'oe', ŕ: 'r', ŗ: 'r', ř: 'r', ś: 's', ŝ: 's', ş: 's', š: 's', ţ: 't',
  ť: 't', ŧ: 't', ũ: 'u', ū: 'u', ŭ: 'u', ů: 'u', ű: 'u', ų: 'u', ŵ: 'w', ŷ: 'y', ź: 'z', ż: 'z', ž: 'z', ſ: 'z', Ə: 'e',
  ƒ: 'f', Ơ: 'o', ơ: 'o', Ư: 'u', ư: 'u', ǎ: 'a', ǐ: 'i', ǒ: 'o', ǔ: 'u', ǖ: 'u', ǘ: 'u', ǚ: 'u', ǜ: 'u', ǻ: 'a', Ǽ: 'ae',
  ǽ: 'ae', Ǿ: 'o', ǿ: 'o', ə: 'e', Є: 'e', Б: 'b', Г: 'g', Д: 'd', Ж: 'zh', З: 'z', У: 'u', Ф: 'f', Х: 'h', Ц: 'c', Ч: 'ch',
  Ш: 'sh', Щ: 'sch', Ъ: '-', Ы: 'y', Ь: '-', Э: 'je', Ю: 'ju', Я: 'ja', а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e',
  ж: 'zh', з: 'z', и: 'i', й: 'j', к: 'k', л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f',
  х: 'h', ц: 'c', ч: 'ch', ш: 'sh', щ: 'sch', ъ: '-', ы: 'y', ь: '-', э: 'je', ю: 'ju', я: 'ja', ё: 'jo', є: 'e', і: 'i',
  ї: 'i', Ґ: 'g', ґ: 'g', א: 'a', ב: 'b', ג: 'g', ד: 'd', ה: 'h', ו: 'v', ז: 'z', ח: 'h', ט: 't', י: 'i', ך: 'k', כ: 'k',
  ל: 'l', ם: 'm', מ: 'm', ן: 'n', נ: 'n', ס: 's', ע: 'e', ף: 'p', פ: 'p', ץ: 'C', צ: 'c', ק: 'q', ר: 'r', ש: 'w', ת: 't',
  '™': 'tm', ả: 'a', ã: 'a', ạ: 'a', ắ: 'a', ằ: 'a', ẳ: 'a', ẵ: 'a', ặ: 'a', ấ: 'a', ầ: 'a', ẩ: 'a', ẫ: 'a', ậ: 'a', ẻ: 'e',
  ẽ: 'e', ẹ: 'e', ế: 'e', ề: 'e', ể: 'e', ễ: 'e', ệ: 'e', ỉ: 'i', ị: 'i', ỏ: 'o', ọ: 'o', ố: 'o', ồ: 'o', ổ: 'o', ỗ: 'o',
  ộ: 'o', ớ: 'o', ờ: 'o', ở: 'o', ỡ: 'o', ợ: 'o', ủ: 'u', ụ: 'u', ứ: 'u', ừ: 'u', ử: 'u', ữ: 'u', ự: 'u', ỳ: 'y', ỷ: 'y',
  ỹ: 'y', ỵ: 'y'
}

// RFC 4122 name space for ISO OIDs, which Grafana hashes titles into when no slug can be made.
const NAMESPACE_OID = Buffer.from('6ba7b8129dad11d180b400c04fd430c8', 'hex')

/** A version 5 (SHA-1) UUID, as Go's uuid.NewSHA1. */
export function uuidV5 (namespace: Buffer, name: string): string {
  const h = createHash('sha1').update(namespace).update(name, 'utf8').digest().subarray(0, 16)
  h[6] = (h[6]! & 0x0f) | 0x50
  h[8] = (h[8]! & 0x3f) | 0x80
  const hex = h.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

function slugger (value: string): string {
  let out = ''
  let lastInvalid = false
  for (const c of value.toLowerCase()) {
    const replacement = REPLACEMENTS[c]
    if (replacement !== undefined) {
      out += replacement
      lastInvalid = false
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      out += c
      lastInvalid = false
    } else if (!lastInvalid) {
      out += '-'
      lastInvalid = true
    }
  }
  return out.replace(/^-+|-+$/g, '')
}

/** "Production Overview" → "production-overview"; titles with nothing sluggable → base64url or a UUID. */
export function slugify (title: string): string {
  const s = slugger(title)
  if (s !== '') return s
  const b64 = Buffer.from(title, 'utf8').toString('base64url')
  return b64.length > 50 || b64 === '' ? uuidV5(NAMESPACE_OID, title) : b64
}
