// Extracts the N most common passwords, in frequency order, from
// @zxcvbn-ts/language-common (MIT; the list is zxcvbn's, derived from
// Mark Burnett's 10-million-password corpus, ordered by frequency).
//
// Usage: node passwords.mjs OUTPUT [N=10000]
// Output: one password per line, lower-cased, trimmed, de-duplicated
// (first = most frequent occurrence wins), no empty line, UTF-8, final newline.
import { readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'

const [, , out, nArg = '10000'] = process.argv
if (!out) {
  console.error('usage: node passwords.mjs OUTPUT [N]')
  process.exit(2)
}
const n = Number.parseInt(nArg, 10)

const require = createRequire(import.meta.url)
const src = require.resolve('@zxcvbn-ts/language-common/src/passwords.json')
const list = JSON.parse(readFileSync(src, 'utf8'))
if (!Array.isArray(list)) throw new Error(`${src}: expected a JSON array`)

const seen = new Set()
const result = []
for (const raw of list) {
  if (typeof raw !== 'string') continue
  const pw = raw.normalize('NFC').trim().toLowerCase()
  // Skip empties and anything that would break the one-per-line format.
  if (pw === '' || /[\u0000-\u001f\u007f\u2028\u2029]/.test(pw)) continue
  if (seen.has(pw)) continue
  seen.add(pw)
  result.push(pw)
  if (result.length === n) break
}
if (result.length !== n) {
  throw new Error(`only ${result.length} distinct passwords in ${src}, wanted ${n}`)
}
writeFileSync(out, result.join('\n') + '\n', 'utf8')
console.log(`passwords.mjs: wrote ${result.length} passwords to ${out}`)
