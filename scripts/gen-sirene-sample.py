#!/usr/bin/env python3
"""Writes a synthetic file in the INSEE SIRENE establishment-stock layout, for benchmarking
`passerelle import sirene`. Deterministic: the same N and seed give the same bytes.

Rows are realistic: Luhn-valid SIRETs (some legal units with several establishments), real NAF rev. 2
codes and communes with one of their own postcodes (from data/), the INSEE headcount bands in a
skewed mix, street addresses, and a few partly masked ([ND]) establishments. About 10 % are closed
and about 2 % are bad in one of the ways the import must reject (Luhn, NAF, commune, postcode,
NAF rev. 1, broken quotes, column count, Latin-1 bytes).

    scripts/gen-sirene-sample.py 1000000 /tmp/sirene-1m.csv [--seed 42]
"""

import argparse
import os
import random
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")

HEADER = [
    "siren", "nic", "siret", "statutDiffusionEtablissement", "dateCreationEtablissement",
    "trancheEffectifsEtablissement", "anneeEffectifsEtablissement", "etablissementSiege",
    "numeroVoieEtablissement", "indiceRepetitionEtablissement", "typeVoieEtablissement",
    "libelleVoieEtablissement", "codePostalEtablissement", "libelleCommuneEtablissement",
    "codeCommuneEtablissement", "etatAdministratifEtablissement", "enseigne1Etablissement",
    "denominationUsuelleEtablissement", "activitePrincipaleEtablissement",
    "nomenclatureActivitePrincipaleEtablissement", "caractereEmployeurEtablissement",
    "denominationUniteLegale",
]

# Weighted like the register: most establishments employ nobody or a handful of people.
BANDS = ["NN"] * 40 + [""] * 10 + ["00"] * 10 + ["01"] * 12 + ["02"] * 8 + ["03"] * 6 + \
    ["11"] * 5 + ["12"] * 4 + ["21", "21", "22", "31", "32", "41", "42", "51", "52", "53"]
STREET_TYPES = ["RUE"] * 6 + ["AV", "BD", "CHE", "PL", "RTE", "IMP", "ALL", "QUAI", "CRS", "ZA"]
STREET_WORDS = ["DE LA REPUBLIQUE", "DU GENERAL DE GAULLE", "JEAN JAURES", "VICTOR HUGO", "PASTEUR",
                "DES ECOLES", "DE LA GARE", "DU MOULIN", "DES LILAS", "DU STADE", "NATIONALE",
                "DE L EGLISE", "DES PRES", "DU COMMERCE", "ARISTIDE BRIAND", "DES ACACIAS"]
NAME_HEAD = ["ATELIERS", "SOCIETE", "GROUPE", "ETABLISSEMENTS", "LABORATOIRE", "BUREAU", "CABINET",
             "INDUSTRIES", "SERVICES", "CONSEIL", "MECANIQUE", "TECHNOLOGIES", "SYSTEMES", "SOLUTIONS"]
NAME_BODY = ["TITANE", "ALPES", "OCCITANIE", "ATLANTIQUE", "PRECISION", "COMPOSITES", "NUMERIQUE",
             "AERO", "METAL", "ENERGIE", "LOGICIEL", "OPTIQUE", "PLASTURGIE", "USINAGE", "BOIS",
             "DU SUD", "DU NORD", "RHONE", "LOIRE", "PROVENCE", "BRETAGNE", "NORMANDIE", "VOSGES"]
LEGAL_FORMS = ["SAS", "SARL", "SA", "SASU", "EURL", "SCOP", ""]
BAD_KINDS = ["luhn", "naf", "commune", "postcode", "nafrev1", "quotes", "columns", "latin1"]


def luhn_complete(prefix):
    total = 0
    # The check digit will sit at position 0 from the right, so the prefix's last digit is doubled.
    for i, ch in enumerate(reversed(prefix)):
        d = ord(ch) - 48
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return prefix + str((10 - total % 10) % 10)


def read_tsv(path, columns):
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        idx = [header.index(c) for c in columns]
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if len(fields) >= len(header):
                yield [fields[i] for i in idx]


def csv_field(value):
    if any(c in value for c in ',"\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", type=int)
    parser.add_argument("output")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    naf = [code for code, level in read_tsv(os.path.join(ROOT, "data/naf_rev2.tsv"), ["code", "level"])
           if level == "subclass"]
    communes = [(code, name, postcodes.split(","))
                for code, name, postcodes in read_tsv(os.path.join(ROOT, "data/geo/communes.tsv"),
                                                      ["code", "name", "postcodes"])
                if postcodes]

    unit = 0
    nic = 1
    # Multiplying by a number prime to 10 is a bijection modulo 10^8: distinct units, scattered SIRENs.
    siren_of = lambda u: luhn_complete("%08d" % ((u * 7919 + args.seed * 104729) % 100_000_000))
    with open(args.output, "wb") as out:
        out.write((",".join(HEADER) + "\n").encode())
        for i in range(args.rows):
            if i == 0 or rng.random() >= 0.2:
                unit += 1
                nic = 1
            else:
                nic += 1
            siren = siren_of(unit)
            siret = luhn_complete(siren + "%04d" % nic)
            commune_code, commune_name, postcodes = rng.choice(communes)
            closed = rng.random() < 0.10
            masked = rng.random() < 0.02
            name = " ".join(p for p in [rng.choice(NAME_HEAD), rng.choice(NAME_BODY),
                                        rng.choice(NAME_BODY), rng.choice(LEGAL_FORMS)] if p)
            row = {
                "siren": siren,
                "nic": siret[9:],
                "siret": siret,
                "statutDiffusionEtablissement": "P" if masked else "O",
                "dateCreationEtablissement": "%04d-%02d-%02d" % (rng.randint(1950, 2024), rng.randint(1, 12),
                                                                rng.randint(1, 28)),
                "trancheEffectifsEtablissement": rng.choice(BANDS),
                "anneeEffectifsEtablissement": "2022",
                "etablissementSiege": "true" if nic == 1 else "false",
                "numeroVoieEtablissement": str(rng.randint(1, 250)),
                "indiceRepetitionEtablissement": "B" if rng.random() < 0.03 else "",
                "typeVoieEtablissement": rng.choice(STREET_TYPES),
                "libelleVoieEtablissement": rng.choice(STREET_WORDS),
                "codePostalEtablissement": rng.choice(postcodes),
                "libelleCommuneEtablissement": commune_name.upper(),
                "codeCommuneEtablissement": commune_code,
                "etatAdministratifEtablissement": "F" if closed else "A",
                "enseigne1Etablissement": "",
                "denominationUsuelleEtablissement": "",
                "activitePrincipaleEtablissement": rng.choice(naf),
                "nomenclatureActivitePrincipaleEtablissement": "NAFRev2",
                "caractereEmployeurEtablissement": "O",
                "denominationUniteLegale": name,
            }
            if masked:
                for k in ["numeroVoieEtablissement", "typeVoieEtablissement", "libelleVoieEtablissement",
                          "codePostalEtablissement"]:
                    row[k] = "[ND]"
            if rng.random() < 0.05:
                row["enseigne1Etablissement"] = row["denominationUniteLegale"]
                row["denominationUniteLegale"] = ""
            elif rng.random() < 0.05:
                row["denominationUniteLegale"] = name.replace(" ", ", ", 1)  # quoted on output
            bad = None if closed or rng.random() >= 0.02 else rng.choice(BAD_KINDS)
            if bad == "luhn":
                row["siret"] = siret[:13] + str((int(siret[13]) + 1) % 10)
            elif bad == "naf":
                row["activitePrincipaleEtablissement"] = "99.99Z"
            elif bad == "commune":
                row["codeCommuneEtablissement"] = "99999"
            elif bad == "postcode":
                row["codePostalEtablissement"] = "00001"
            elif bad == "nafrev1":
                row["nomenclatureActivitePrincipaleEtablissement"] = "NAFRev1"
            fields = [csv_field(row[h]) for h in HEADER]
            if bad == "quotes":
                fields[-1] = '"' + row["denominationUniteLegale"]
            elif bad == "columns":
                del fields[8]
            line = (",".join(fields) + "\n").encode()
            if bad == "latin1":
                line = line.replace(b"\n", b" \xe9\n")
            out.write(line)


if __name__ == "__main__":
    sys.exit(main())
