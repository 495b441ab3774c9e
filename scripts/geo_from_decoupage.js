#!/usr/bin/env node
// Turn the JSON of @etalab/decoupage-administratif (INSEE's Code officiel
// géographique) into the TSV files under data/geo/.
// usage: geo_from_decoupage.js PACKAGE_DIR OUT_DIR
'use strict'

const fs = require('fs')
const path = require('path')

const [pkgDir, outDir] = process.argv.slice(2)
if (!pkgDir || !outDir) {
  console.error('usage: geo_from_decoupage.js PACKAGE_DIR OUT_DIR')
  process.exit(2)
}

const load = name => JSON.parse(fs.readFileSync(path.join(pkgDir, 'data', `${name}.json`), 'utf8'))

// The source is hand-curated in places; a tab or line break would break the TSV.
const clean = value => String(value).replace(/\s+/g, ' ').trim()

// Plain code-unit order: codes are ASCII, so this matches Rust's str ordering.
const byCode = (a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)

function fail (message) {
  console.error(message)
  process.exit(1)
}

function write (file, header, rows) {
  const seen = new Set()
  for (const row of rows) {
    if (seen.has(row[0])) fail(`${file}: duplicate code ${row[0]}`)
    seen.add(row[0])
  }
  const lines = [header.join('\t'), ...rows.map(row => row.map(clean).join('\t'))]
  const target = path.join(outDir, file)
  fs.writeFileSync(`${target}.tmp`, lines.join('\n') + '\n')
  fs.renameSync(`${target}.tmp`, target)
  console.log(`${target}: ${rows.length} rows`)
}

const regions = load('regions').sort(byCode)
const departments = load('departements').sort(byCode)
// Arrondissements municipaux (Paris, Lyon, Marseille) are kept because SIRENE
// locates establishments there with the arrondissement's code, not the city's.
const kept = new Set(['commune-actuelle', 'arrondissement-municipal'])
const communes = load('communes').filter(c => kept.has(c.type)).sort(byCode)

const regionCodes = new Set(regions.map(r => r.code))
for (const d of departments) {
  if (!regionCodes.has(d.region)) fail(`department ${d.code} has unknown region ${d.region}`)
}
const departmentRegion = new Map(departments.map(d => [d.code, d.region]))
for (const c of communes) {
  if (!/^(\d{5}|2[AB]\d{3})$/.test(c.code)) fail(`unexpected commune code ${c.code}`)
  if (departmentRegion.get(c.departement) !== c.region) {
    fail(`commune ${c.code}: department ${c.departement} and region ${c.region} disagree`)
  }
  for (const p of c.codesPostaux || []) {
    if (!/^\d{5}$/.test(p)) fail(`commune ${c.code}: unexpected postcode ${p}`)
  }
}

fs.mkdirSync(outDir, { recursive: true })
write('regions.tsv', ['code', 'name'], regions.map(r => [r.code, r.nom]))
write('departments.tsv', ['code', 'name', 'region_code'],
  departments.map(d => [d.code, d.nom, d.region]))
write('communes.tsv', ['code', 'name', 'department_code', 'region_code', 'postcodes'],
  communes.map(c => [
    c.code,
    c.nom,
    c.departement,
    c.region,
    [...new Set(c.codesPostaux || [])].sort().join(',')
  ]))
