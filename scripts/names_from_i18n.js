#!/usr/bin/env node
// Turn the French and English names of an i18n-iso package into a TSV: code, name_fr, name_en.
//   countries: i18n-iso-countries (ISO 3166-1 alpha-2, uppercase codes) -> data/countries.tsv
//   languages: @cospired/i18n-iso-languages (ISO 639-1, lowercase codes) -> data/languages.tsv
// usage: names_from_i18n.js countries|languages PACKAGE_DIR OUT_FILE
'use strict'

const fs = require('fs')
const path = require('path')

const KINDS = {
  countries: { key: 'countries', noun: 'country', code: /^[A-Z]{2}$/ },
  languages: { key: 'languages', noun: 'language', code: /^[a-z]{2}$/ }
}

const [kindName, pkgDir, outFile] = process.argv.slice(2)
const kind = KINDS[kindName]
if (!kind || !pkgDir || !outFile) {
  console.error('usage: names_from_i18n.js countries|languages PACKAGE_DIR OUT_FILE')
  process.exit(2)
}

function fail (message) {
  console.error(message)
  process.exit(1)
}

const names = locale =>
  JSON.parse(fs.readFileSync(path.join(pkgDir, 'langs', `${locale}.json`), 'utf8'))[kind.key]

// Where the package gives several names (["United States of America", "United States", "USA"…])
// the first is the official short name; a tab or line break would break the TSV. Names are shown
// as list labels, so the odd lowercase one (the language "maïthili") is capitalised like the others.
const clean = (code, value) => {
  const name = String(Array.isArray(value) ? value[0] : value).replace(/\s+/g, ' ').trim()
  if (!name) fail(`${kind.noun} ${code}: empty name`)
  return name.charAt(0).toLocaleUpperCase('fr') + name.slice(1)
}

const fr = names('fr')
const en = names('en')
const codes = Object.keys(fr).sort()
for (const code of codes) {
  if (!kind.code.test(code)) fail(`unexpected ${kind.noun} code ${code}`)
  if (!(code in en)) fail(`${kind.noun} ${code} has no English name`)
}
for (const code of Object.keys(en)) {
  if (!(code in fr)) fail(`${kind.noun} ${code} has no French name`)
}

// Code order keeps diffs readable between vintages; the French display order is computed in Rust.
const lines = [['code', 'name_fr', 'name_en'].join('\t')]
for (const code of codes) lines.push([code, clean(code, fr[code]), clean(code, en[code])].join('\t'))
fs.mkdirSync(path.dirname(outFile), { recursive: true })
fs.writeFileSync(`${outFile}.tmp`, lines.join('\n') + '\n')
fs.renameSync(`${outFile}.tmp`, outFile)
console.log(`${outFile}: ${codes.length} rows`)
