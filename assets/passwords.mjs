// Builds the two lists internal/domain refuses passwords with, from the
// zxcvbn-ts dictionaries (MIT):
//
//   PASSWORDS_OUT  the passwords of @zxcvbn-ts/language-common (zxcvbn's
//                  list, from Mark Burnett's 10-million-password corpus,
//                  most frequent first) that iel's composition rule would
//                  accept: 8 to 128 characters, a letter and a digit. The
//                  others need no listing: the rule refuses them already.
//   WORDS_OUT      the words people build a password on, then append
//                  digits to ("Soleil2026"): the letters-only passwords
//                  among the 20,000 most common, the 10,000 most frequent
//                  French words (@zxcvbn-ts/language-fr commonWords, from
//                  OpenSubtitles via OPUS, ODC-BY), French first names and
//                  surnames; 4 letters or more.
//
// Both are folded as domain.fold does (lower case, accents dropped, NFC),
// de-duplicated, one a line, UTF-8, final newline; the passwords in
// frequency order, the words sorted.
//
// Usage: node passwords.mjs PASSWORDS_OUT WORDS_OUT
import { readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'

const [, , passwordsOut, wordsOut] = process.argv
if (!passwordsOut || !wordsOut) {
  console.error('usage: node passwords.mjs PASSWORDS_OUT WORDS_OUT')
  process.exit(2)
}

const require = createRequire(import.meta.url)
const load = (name) => {
  const file = require.resolve(name)
  const list = JSON.parse(readFileSync(file, 'utf8'))
  if (!Array.isArray(list)) throw new Error(`${file}: expected a JSON array`)
  return list.filter((x) => typeof x === 'string')
}

// fold must match internal/domain's fold: lower case, NFD, combining marks dropped, NFC.
const fold = (s) => s.trim().toLowerCase().normalize('NFD').replace(/\p{Mn}/gu, '').normalize('NFC')
const oneLine = (s) => s !== '' && !/[\p{Cc}\u2028\u2029]/u.test(s)

// 1. Common passwords the composition rule would accept.
const accepted = (p) => {
  const n = [...p].length
  return n >= 8 && n <= 128 && /\p{L}/u.test(p) && /\p{Nd}/u.test(p)
}
const passwords = []
const seen = new Set()
for (const raw of load('@zxcvbn-ts/language-common/src/passwords.json')) {
  const p = fold(raw)
  if (!oneLine(p) || !accepted(p) || seen.has(p)) continue
  seen.add(p)
  passwords.push(p)
}
if (passwords.length < 3000) throw new Error(`only ${passwords.length} common passwords pass the composition rule, want 3,000 or more`)

// 2. Words a password is built on.
const isWord = (w) => /^\p{L}{4,}$/u.test(w)
const words = new Set()
const addWords = (list, n) => {
  let taken = 0
  for (const raw of list) {
    if (taken === n) break
    const w = fold(raw)
    if (isWord(w)) {
      words.add(w)
      taken++
    }
  }
}
addWords(load('@zxcvbn-ts/language-common/src/passwords.json').slice(0, 20000), Infinity)
addWords(load('@zxcvbn-ts/language-fr/src/commonWords.json'), 10000)
// The package's firstnames.json holds surnames and lastnames.json first names: both are taken.
addWords(load('@zxcvbn-ts/language-fr/src/firstnames.json'), Infinity)
addWords(load('@zxcvbn-ts/language-fr/src/lastnames.json'), Infinity)
const sorted = [...words].sort()

writeFileSync(passwordsOut, passwords.join('\n') + '\n', 'utf8')
writeFileSync(wordsOut, sorted.join('\n') + '\n', 'utf8')
console.log(`passwords.mjs: wrote ${passwords.length} passwords to ${passwordsOut}, ${sorted.length} words to ${wordsOut}`)
