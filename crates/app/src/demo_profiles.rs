//! Capability profiles of the demo organisations, drawn from each company's trade so that the
//! directory, its facets and the differentiation report have something true to life to show.
//!
//! Every company of the plan gets one: SMEs and mid-caps a full profile in French (now and then in
//! English), large accounts a short one or none, the lab a short one, the cluster's association
//! none. The demo SME's profile is written by hand so that "usinage titane aéronautique" finds it
//! first. Each profile is drawn from a seed and the company's SIREN: the same on every installation.
//!
//! A child module of `demo` (declared there with a `path`), so that its tests can read the plan.

use domain::geo;
use domain::profile::{
    Credential, HeadcountBand, Offer, Profile, ProfileInput, Reference, TurnoverBand, Visibility, Visible,
};
use domain::text::search_key;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use store::records::OrganisationFields;
use store::{Conn, StoreError, profiles};

use super::{DEMO_LAB, DEMO_SME, LARGE_ACCOUNTS, MID_CAPS, pick};

/// Changing it changes every generated profile; the hand-written ones stay.
const PROFILE_SEED: u64 = 0x5052_4f46_494c_5331;

/// Saves the demo profile of one planned organisation (if it has one), in the demo's transaction.
pub(super) async fn save(
    conn: &mut Conn,
    organisation_id: i64,
    fields: &OrganisationFields,
) -> Result<(), StoreError> {
    match document(fields) {
        Some(json) => profiles::save(conn, organisation_id, &json, None).await,
        None => Ok(()),
    }
}

/// The stored JSON of an organisation's demo profile; none for those the demo leaves without one.
fn document(fields: &OrganisationFields) -> Option<String> {
    let profile = validated(fields)?;
    Some(serde_json::to_string(&profile).expect("a profile serialises"))
}

/// Validated like any profile typed in the editor; the unit tests check it for the whole plan.
fn validated(fields: &OrganisationFields) -> Option<Profile> {
    let input = input(fields)?;
    Some(
        input
            .validate()
            .unwrap_or_else(|issues| panic!("demo profile of {}: {issues:?}", fields.legal_name)),
    )
}

fn input(fields: &OrganisationFields) -> Option<ProfileInput> {
    let siren: u64 = fields.siren.parse().unwrap_or_default();
    let mut rng = ChaCha8Rng::seed_from_u64(PROFILE_SEED ^ siren);
    if fields.legal_name == DEMO_SME {
        return Some(demo_sme(fields));
    }
    if fields.legal_name == DEMO_LAB {
        return Some(lab(fields));
    }
    match (fields.kind.as_str(), fields.size.as_deref()) {
        ("company", Some("large")) => large_account(fields),
        ("company", _) => Some(generated(fields, &mut rng)),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Hand-written profiles.

fn demo_sme(fields: &OrganisationFields) -> ProfileInput {
    ProfileInput {
        presentation: Visible::public(
            "Usinage Titane Occitanie est une PME toulousaine de 38 personnes spécialisée dans l'usinage 5 axes \
             de pièces en titane et en Inconel pour l'aéronautique. Depuis 1998, nous réalisons des ferrures, \
             des pièces de structure et des carters pour les programmes d'hélicoptères et d'avions commerciaux, \
             du prototype à la série. Notre atelier de 4 200 m² compte huit centres d'usinage 5 axes, dont deux \
             DMG Mori DMU 125 P et un Hermle C 52, et une cellule robotisée qui usine la nuit sans opérateur. \
             Nous tenons des tolérances de ±0,01 mm sur des pièces jusqu'à 1,2 m, contrôlées sur machine \
             tridimensionnelle Zeiss en salle climatisée. Certifiés EN 9100, nous sommes reconnus pour notre \
             maîtrise des alliages difficiles (Ti-6Al-4V, Inconel 718) et notre réactivité sur les urgences AOG."
                .into(),
        ),
        offers: vec![
            offer(
                "Usinage 5 axes de pièces aéronautiques en titane",
                "Ferrures, pièces de structure et de mât réacteur en Ti-6Al-4V, de 50 mm à 1,2 m ; séries de 1 à \
                 500 pièces avec rapport FAI EN 9102.",
                Visibility::Public,
            ),
            offer(
                "Usinage de superalliages (Inconel 718, Waspaloy)",
                "Pièces de turbomachines et de lignes d'échappement ; outils céramiques et arrosage haute pression.",
                Visibility::Public,
            ),
            offer(
                "Dépannage AOG et prototypes en 72 heures",
                "Une cellule dédiée aux urgences aéronautiques : programmation FAO, usinage et contrôle dans la \
                 semaine, week-end compris.",
                Visibility::Members,
            ),
            offer(
                "Sous-ensembles usinés, assemblés et contrôlés",
                "Ébavurage, assemblage mécanique, marquage laser et dossier de contrôle complet.",
                Visibility::Public,
            ),
        ],
        capability_terms: Visible::public(codes(&[
            "machining-5-axis",
            "milling",
            "high-speed-machining",
            "precision-mechanics",
            "deburring",
            "cmm-inspection",
            "mechanical-assembly",
            "aerostructures",
        ])),
        capabilities_text: Visible::public(
            "Parc machines : 8 centres d'usinage 5 axes (courses jusqu'à 1 250 mm), 2 tours bi-broches, FAO \
             Catia et NX. Matières : titane Ti-6Al-4V et T40, Inconel 718, aluminium 7075 et 2024, inox 15-5PH. \
             Contrôle : MMT Zeiss Contura, rugosimètre, rapports FAI EN 9102."
                .into(),
        ),
        certifications: Visible::public(vec![
            credential("EN 9100", Some("2027-09-30")),
            credential("ISO 9001", Some("2027-09-30")),
            credential("ISO 14001", Some("2025-06-30")),
        ]),
        labels: Visible::public(vec![
            credential("Vitrine Industrie du Futur", Some("2028-03-31")),
            credential("French Fab", None),
        ]),
        references: vec![
            Reference {
                client: "Airbus Helicopters".into(),
                project: "Ferrures de boîte de transmission principale en titane, 1 200 pièces par an".into(),
                year: Some(2024),
                visibility: Visibility::Members,
            },
            Reference {
                client: "Aérostructures Groupe Démo".into(),
                project: "Pièces de structure de mât réacteur en Ti-6Al-4V".into(),
                year: Some(2023),
                visibility: Visibility::Public,
            },
            Reference {
                client: "Mécanique Aéro du Sud-Ouest".into(),
                project: "Sous-traitance de carters en Inconel 718".into(),
                year: Some(2022),
                visibility: Visibility::Members,
            },
        ],
        regions_served: Visible::public(vec!["76".into(), "75".into(), "11".into()]),
        export_markets: Visible::public(vec!["DE".into(), "ES".into(), "GB".into()]),
        headcount_band: Visible::public(Some(headcount_band(fields.headcount).as_str().into())),
        turnover_band: Visible::members(fields.turnover_eur.map(|t| turnover_band(t).as_str().into())),
        languages: Visible::public(vec!["fr".into(), "en".into(), "es".into()]),
    }
}

fn lab(fields: &OrganisationFields) -> ProfileInput {
    ProfileInput {
        presentation: Visible::public(
            "Unité mixte de recherche de 180 personnes, le laboratoire étudie les matériaux de structure et \
             les systèmes embarqués des secteurs aéronautique et spatial. Ses plateformes de caractérisation \
             (microscopie électronique, tomographie X, fatigue thermomécanique) sont ouvertes aux PME par \
             contrats de collaboration et prestations. Il accueille chaque année une vingtaine de thèses CIFRE."
                .into(),
        ),
        offers: vec![offer(
            "Caractérisation de matériaux et analyse de défaillance",
            "Essais mécaniques, microstructure, tomographie, rapport d'expertise sous quatre semaines.",
            Visibility::Public,
        )],
        capability_terms: Visible::public(codes(&[
            "testing",
            "non-destructive-testing",
            "numerical-simulation",
            "additive-manufacturing",
            "chemical-analysis",
        ])),
        regions_served: Visible::public(vec![fields.region_code.clone()]),
        headcount_band: Visible::public(Some(headcount_band(fields.headcount).as_str().into())),
        languages: Visible::public(vec!["fr".into(), "en".into()]),
        ..ProfileInput::default()
    }
}

/// Large accounts are on the platform to buy: a few say what they make, the others say nothing.
fn large_account(fields: &OrganisationFields) -> Option<ProfileInput> {
    let (presentation, terms): (&str, &[&str]) = match short_name(&fields.legal_name) {
        "Aérostructures Groupe Démo" => (
            "Groupe industriel de l'aéronautique civile, nous concevons et assemblons des tronçons de \
             fuselage, des nacelles et des mâts réacteurs pour les avionneurs européens. Notre direction des \
             achats référence chaque année de nouveaux fournisseurs en usinage, composites et traitements de \
             surface, et s'engage pour des relations fournisseurs responsables.",
            &["aerostructures", "aircraft-assembly", "composites"],
        ),
        "Systèmes Spatiaux Démo" => (
            "Maître d'œuvre de satellites d'observation et de télécommunication, nous intégrons plateformes \
             et charges utiles dans nos salles propres de Toulouse. Nous recherchons des partenaires en \
             électronique spatiale, mécanique de précision et essais d'environnement.",
            &["space-systems", "embedded-systems", "testing"],
        ),
        "Démo Mobilités Ferroviaires" => (
            "Constructeur de matériel roulant et de systèmes de signalisation, nous achetons des sous-ensembles \
             mécaniques, des faisceaux électriques et des logiciels embarqués auprès de PME européennes.",
            &["rail-equipment", "wiring-harnesses", "embedded-systems"],
        ),
        _ => return None,
    };
    Some(ProfileInput {
        presentation: Visible::public(presentation.into()),
        capability_terms: Visible::public(codes(terms)),
        certifications: Visible::public(vec![
            credential("ISO 9001", Some("2028-01-31")),
            credential("ISO 14001", Some("2027-11-30")),
        ]),
        labels: Visible::public(vec![credential(
            "Label Relations Fournisseur et Achats Responsables",
            Some("2027-12-31"),
        )]),
        regions_served: Visible::public(METROPOLITAN_REGIONS.iter().map(|r| (*r).into()).collect()),
        headcount_band: Visible::public(Some(headcount_band(fields.headcount).as_str().into())),
        turnover_band: Visible::public(fields.turnover_eur.map(|t| turnover_band(t).as_str().into())),
        languages: Visible::public(vec!["fr".into(), "en".into()]),
        ..ProfileInput::default()
    })
}

// ---------------------------------------------------------------------------------------------
// Generated profiles: a trade, found from the NAF code and the company name, gives the words.

/// Where a trade's sectors, certifications and labels come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Mechanical,
    Metal,
    Materials,
    Electronics,
    Digital,
    Engineering,
    Aerospace,
}

/// What a company of one trade can write about itself.
struct Trade {
    naf: &'static [&'static str],
    /// Words of the company name that single the trade out among those of its NAF code; empty for
    /// the trade every other company of the code falls into.
    keywords: &'static [&'static str],
    family: Family,
    /// Follows "spécialisée dans" and "accompagne ses clients dans".
    what: &'static str,
    /// Capability codes, the most typical first: every company of the trade ticks the first two.
    capabilities: &'static [&'static str],
    materials: &'static [&'static str],
    /// Heads the materials in `capabilities_text` when the family's word does not fit.
    stuff: Option<&'static str>,
    /// Machines or tools, with the placeholders of `facts`.
    equipment: &'static [&'static str],
    /// Sentences with facts: `{tol}` µm, `{area}` m², `{qty}` parts, `{n}` a small number, `{pct}` %,
    /// `{team}` people (part of the headcount).
    facts: &'static [&'static str],
    offers: &'static [(&'static str, &'static str)],
    /// Certifications of the trade on top of its family's, with the share of companies holding them.
    certifications: &'static [(&'static str, f64)],
    english: Option<&'static English>,
}

/// The English words of a trade, for the profiles written in English.
struct English {
    what: &'static str,
    materials: &'static [&'static str],
    /// Heads the materials in `capabilities_text`.
    stuff: &'static str,
    equipment: &'static [&'static str],
    facts: &'static [&'static str],
    offers: &'static [(&'static str, &'static str)],
}

const fn trade(naf: &'static [&'static str], keywords: &'static [&'static str], family: Family) -> Trade {
    Trade {
        naf,
        keywords,
        family,
        what: "",
        capabilities: &[],
        materials: &[],
        stuff: None,
        equipment: &[],
        facts: &[],
        offers: &[],
        certifications: &[],
        english: None,
    }
}

/// Searched in order: the first trade whose code and (if any) keyword match the company is its trade.
#[rustfmt::skip]
const TRADES: &[Trade] = &[
    Trade {
        what: "la découpe laser et le pliage de pièces en tôle",
        capabilities: &["laser-cutting", "sheet-metal-work", "bending", "welding", "industrial-painting", "mechanical-assembly"],
        materials: &["acier S235 à S355", "inox 304L et 316L", "aluminium 5754", "laiton", "tôles de 0,5 à 25 mm"],
        equipment: &["{n} lasers fibre Trumpf de 6 à 12 kW", "une presse plieuse Amada de 220 t", "un tube laser pour profilés", "une cellule de soudage robotisée"],
        facts: &["Nous découpons des tôles jusqu'à 25 mm d'épaisseur avec une précision de ±0,1 mm.", "Notre atelier de {area} m² traite plus de {qty} références par an, livrées sous 5 jours ouvrés."],
        offers: &[("Découpe laser fibre à la pièce et en série", "Tôles et tubes en acier, inox et aluminium, jusqu'à 3 x 1,5 m."), ("Pliage et assemblage soudé", "Pliage CN jusqu'à 4 m, soudure TIG et MIG, finition et peinture."), ("Express 48 heures", "Découpe et pliage de pièces simples sur fichier DXF, livrées en 48 h."), ("Tôlerie fine et capotages", "Carters, capots et armoires, du prototype à la petite série.")],
        certifications: &[("ISO 3834-2", 0.15)],
        ..trade(&["25.62B"], &["Découpe Laser"], Family::Mechanical)
    },
    Trade {
        what: "l'usinage de précision de pièces mécaniques, de la pièce unitaire à la série",
        capabilities: &["milling", "turning", "machining-5-axis", "precision-mechanics", "high-speed-machining", "grinding", "edm", "deburring", "cmm-inspection", "mechanical-assembly"],
        materials: &["aluminium 7075 et 2024", "titane Ti-6Al-4V", "inox 316L et 17-4PH", "Inconel 718", "aciers traités 35NCD16", "bronze et laiton", "PEEK et plastiques techniques"],
        equipment: &["{n} centres d'usinage 5 axes DMG Mori et Hermle", "des tours CN bi-broches Mazak", "une cellule d'usinage robotisée qui tourne 24 h sur 24", "une rectifieuse cylindrique Studer", "une machine à mesurer tridimensionnelle Zeiss"],
        facts: &["Nous tenons des tolérances de ±{tol} µm sur des pièces de 5 mm à 1,5 m.", "Notre atelier de {area} m² produit des séries de 1 à {qty} pièces.", "Chaque pièce critique fait l'objet d'un rapport de contrôle tridimensionnel.", "La programmation FAO est faite en interne, du fichier 3D à la première pièce en {n} jours."],
        offers: &[("Usinage 5 axes de pièces complexes", "Pièces de structure et de moteur, de 10 mm à 1,5 m, en alliages légers, inox et titane."), ("Tournage-fraisage de séries", "Séries de 50 à 5 000 pièces sur tours bi-broches avec ravitailleur."), ("Prototypes et pièces unitaires en 5 jours", "Programmation FAO, usinage et contrôle dimensionnel pour vos essais."), ("Sous-ensembles mécaniques montés", "Usinage, ébavurage, assemblage et contrôle final avec dossier de fabrication."), ("Rectification et finition de précision", "Rectification plane et cylindrique, rodage ; tolérances jusqu'à ±2 µm.")],
        certifications: &[("ISO 13485", 0.08)],
        english: Some(&English {
            what: "precision machining of complex parts, from prototypes to production runs",
            stuff: "Materials",
            materials: &["titanium Ti-6Al-4V", "aluminium 7075 and 2024", "stainless steel 316L and 17-4PH", "Inconel 718"],
            equipment: &["{n} five-axis machining centres", "twin-spindle CNC lathes", "a Zeiss coordinate measuring machine"],
            facts: &["We hold tolerances of ±{tol} µm on parts up to 1.5 m.", "Our {area} m² workshop machines titanium, aluminium alloys and stainless steel in batches of 1 to {qty} parts."],
            offers: &[("5-axis machining of titanium and aluminium parts", "Structural and engine parts, with a first article inspection report."), ("Rapid prototypes", "CAM programming, machining and inspection within a week."), ("Machined and assembled sub-assemblies", "Deburring, assembly and final inspection, with a full manufacturing record.")],
        }),
        ..trade(&["25.62B"], &[], Family::Mechanical)
    },
    Trade {
        what: "le décolletage de pièces de précision en grande série",
        capabilities: &["bar-turning", "turning", "precision-mechanics", "deburring", "grinding", "cmm-inspection"],
        materials: &["laiton CuZn39Pb3", "inox 303 et 316L", "titane grade 5", "aciers de décolletage", "aluminium 6082"],
        equipment: &["{n} tours à poupée mobile Citizen et Tornos", "des tours multibroches", "une ligne de lavage et de dégraissage", "un banc de contrôle optique automatique"],
        facts: &["Nous produisons des pièces de Ø 1 à 32 mm en séries de {qty} à 500 000 pièces.", "Nos tolérances courantes sont de ±{tol} µm, contrôlées en cours de production."],
        offers: &[("Décolletage de grande série", "Axes, vis, inserts et connecteurs de Ø 1 à 32 mm."), ("Micro-décolletage", "Pièces de moins de 3 mm pour l'horlogerie, le médical et la connectique."), ("Reprise et finition", "Ébavurage, tribofinition, traitement thermique et de surface sous-traités."), ("Gestion de stocks et kanban", "Livraisons cadencées et stock de sécurité chez nous pour vos séries.")],
        certifications: &[("ISO 13485", 0.15), ("IATF 16949", 0.15)],
        ..trade(&["25.62A"], &[], Family::Mechanical)
    },
    Trade {
        what: "la tôlerie fine et la chaudronnerie légère",
        capabilities: &["sheet-metal-work", "laser-cutting", "bending", "welding", "stamping", "industrial-painting", "mechanical-assembly"],
        materials: &["acier galvanisé", "inox 304L", "aluminium 5754 et 5083", "acier S235"],
        equipment: &["une poinçonneuse Trumpf", "{n} presses plieuses", "un laser fibre de 6 kW", "une cabine de peinture poudre"],
        facts: &["Nous réalisons des ensembles jusqu'à 3 m et 500 kg, peints dans notre cabine.", "Notre atelier de {area} m² produit des séries de 1 à {qty} pièces."],
        offers: &[("Tôlerie fine sur plan", "Capots, carters, châssis et armoires techniques."), ("Soudure TIG et MIG", "Assemblages soudés en acier, inox et aluminium, soudeurs qualifiés."), ("Peinture poudre", "Cabine de 6 m, teintes RAL, finition texturée ou lisse."), ("Intégration de sous-ensembles", "Câblage, montage et test fonctionnel de vos équipements.")],
        ..trade(&["25.50B"], &[], Family::Mechanical)
    },
    Trade {
        what: "la conception et la fabrication d'outillages et de moules de précision",
        capabilities: &["tooling", "mould-making", "edm", "high-speed-machining", "milling", "mechanical-design", "prototyping"],
        materials: &["aciers à outils 1.2343 et 1.2379", "aluminium de moulerie", "Invar", "carbure de tungstène"],
        equipment: &["{n} machines d'électroérosion à fil et par enfonçage", "un centre d'usinage grande vitesse Röders", "un bureau d'études équipé de TopSolid et Catia", "une presse d'essai de 250 t"],
        facts: &["Nos outillages composites sont réalisés en Invar pour tenir ±{tol} µm après cuisson en autoclave.", "Nous livrons un moule d'injection en {n} semaines, essais et échantillons compris."],
        offers: &[("Moules d'injection plastique", "Moules de 1 à 32 empreintes, canaux chauds, essais et mise au point."), ("Outillages d'assemblage aéronautique", "Gabarits, bâtis et outillages de drapage composite."), ("Maintenance et modification de moules", "Réparation, rechargement laser et évolution de vos outillages."), ("Électroérosion à façon", "Enfonçage et fil, pièces jusqu'à 600 mm.")],
        ..trade(&["25.73A", "25.73B"], &[], Family::Mechanical)
    },
    Trade {
        what: "le taillage et la rectification d'engrenages de précision",
        capabilities: &["gear-cutting", "grinding", "turning", "heat-treatment", "cmm-inspection", "precision-mechanics"],
        materials: &["aciers de cémentation 16NCD13", "aciers nitrurés", "bronze", "inox martensitique"],
        equipment: &["{n} tailleuses Liebherr", "une rectifieuse de profil Reishauer", "un banc de contrôle d'engrenages Klingelnberg"],
        facts: &["Nous taillons des pignons du module 0,5 au module 12, en classe de qualité ISO 4 à 6.", "Nos réducteurs sur mesure sont livrés en {n} semaines, rapports de contrôle compris."],
        offers: &[("Taillage d'engrenages à façon", "Pignons droits et hélicoïdaux, cannelures, vis sans fin."), ("Rectification de dentures", "Classe ISO 4 après traitement thermique."), ("Réducteurs sur mesure", "Conception, fabrication et essais de réducteurs pour machines spéciales.")],
        ..trade(&["28.15Z"], &[], Family::Mechanical)
    },
    Trade {
        what: "la conception et la réalisation de machines spéciales et de lignes automatisées",
        stuff: Some("Technologies"),
        capabilities: &["special-machines", "industrial-automation", "mechanical-design", "robotics", "plc-programming", "conveying", "machine-vision", "cobotics"],
        materials: &["automates Siemens et Schneider", "robots Fanuc, ABB et Stäubli", "vision Cognex et Keyence", "convoyeurs modulaires"],
        equipment: &["un bureau d'études de {team} concepteurs", "un atelier de montage de {area} m²", "un atelier d'usinage intégré"],
        facts: &["Nous livrons chaque année une quinzaine de machines, de la cellule robotisée à la ligne complète.", "Nos machines sont réceptionnées chez nous puis installées chez le client en moins de {n} jours."],
        offers: &[("Machines spéciales clés en main", "Cahier des charges, conception, fabrication, mise en service et formation."), ("Cellules robotisées", "Chargement de machines, palettisation, soudage et assemblage."), ("Convoyage et manutention", "Convoyeurs, tables tournantes et transferts sur mesure."), ("Rétrofit de machines", "Modernisation de l'automatisme et mise en conformité CE.")],
        ..trade(&["28.99B", "28.41Z", "28.22Z"], &[], Family::Mechanical)
    },
    Trade {
        what: "l'automatisme industriel et la robotique",
        stuff: Some("Technologies"),
        capabilities: &["industrial-automation", "plc-programming", "robotics", "cobotics", "machine-vision", "industrial-data", "mes-erp"],
        materials: &["automates Siemens S7 et Schneider", "supervision WinCC et Ignition", "robots collaboratifs Universal Robots", "réseaux Profinet et OPC UA"],
        equipment: &["une plateforme de tests de {n} automates", "un laboratoire de vision industrielle", "un atelier de câblage d'armoires"],
        facts: &["Nos automaticiens interviennent sur des lignes de production en {n} heures en cas de panne.", "Nous avons programmé plus de {qty} automates et robots pour l'industrie."],
        offers: &[("Programmation d'automates et supervision", "Étude, programmation, tests et mise en service sur site."), ("Intégration de cobots", "Étude de faisabilité, intégration et formation des opérateurs."), ("Armoires électriques", "Conception et câblage d'armoires de commande."), ("Remontée de données de production", "Connexion des machines, OPC UA et tableaux de bord.")],
        ..trade(&["28.29B"], &[], Family::Mechanical)
    },
    Trade {
        what: "les pompes et les équipements hydrauliques",
        stuff: Some("Matières"),
        capabilities: &["mechanical-design", "mechanical-assembly", "testing", "turning", "milling", "industrial-maintenance"],
        materials: &["fonte GS", "inox duplex", "bronze-aluminium", "aluminium 6061"],
        equipment: &["un banc d'essais hydrauliques jusqu'à 350 bar", "{n} centres d'usinage horizontaux", "une salle propre de montage"],
        facts: &["Chaque équipement est éprouvé sur notre banc jusqu'à 350 bar avant livraison.", "Nous assurons la maintenance de plus de {qty} pompes installées en France."],
        offers: &[("Pompes et vérins sur mesure", "Conception, fabrication et qualification d'équipements hydrauliques."), ("Réparation et révision", "Expertise, remise en état et essais de pompes et servovalves."), ("Essais hydrauliques", "Banc d'essais à façon pour vos composants.")],
        ..trade(&["28.13Z"], &[], Family::Mechanical)
    },
    Trade {
        what: "la maintenance et la réparation d'équipements aéronautiques",
        stuff: Some("Équipements traités"),
        capabilities: &["aircraft-maintenance", "non-destructive-testing", "mechanical-assembly", "surface-treatment", "testing"],
        materials: &["trains d'atterrissage", "équipements hydrauliques", "pièces de structure", "roues et freins"],
        equipment: &["un atelier agréé de {area} m²", "des moyens de contrôle par ressuage et magnétoscopie", "un banc de test hydraulique"],
        facts: &["Notre atelier agréé révise plus de {qty} équipements par an.", "Nous garantissons un délai de {n} jours pour les révisions standard et traitons les urgences AOG."],
        offers: &[("Révision d'équipements", "Démontage, expertise, réparation et remise en service avec certificat EASA Form 1."), ("Réparations structurales", "Réparations de pièces de structure selon manuels constructeur."), ("Échange standard et AOG", "Stock d'équipements révisés disponibles sous 24 h.")],
        certifications: &[("EASA Part 145", 0.85), ("EN 9110", 0.5)],
        ..trade(&["33.16Z"], &[], Family::Aerospace)
    },
    Trade {
        what: "la conception et la fabrication de drones professionnels",
        stuff: Some("Technologies"),
        capabilities: &["drones", "embedded-systems", "composites", "software-development", "sensors", "prototyping"],
        materials: &["structures en fibre de carbone", "charges utiles d'imagerie", "liaisons radio sécurisées", "batteries lithium"],
        equipment: &["un atelier d'intégration", "une zone d'essais en vol autorisée", "{n} bancs de test moteurs"],
        facts: &["Nos drones emportent jusqu'à {n} kg de charge utile avec une autonomie de 90 minutes.", "Plus de {qty} heures de vol cumulées en inspection d'ouvrages et en surveillance."],
        offers: &[("Drones d'inspection industrielle", "Inspection d'ouvrages d'art, de lignes électriques et de toitures."), ("Développement de drones sur mesure", "Intégration de charges utiles et de capteurs spécifiques."), ("Formation de télépilotes", "Scénarios S1 à S3 et autorisations DGAC.")],
        ..trade(&["30.30Z"], &["Drones"], Family::Aerospace)
    },
    Trade {
        what: "les équipements et sous-ensembles pour satellites et lanceurs",
        stuff: Some("Matières"),
        capabilities: &["space-systems", "precision-mechanics", "testing", "cleanroom", "embedded-systems", "mechanical-design"],
        materials: &["aluminium 7075", "titane", "composites carbone-cyanate", "Invar"],
        equipment: &["une salle propre ISO 8 de {area} m²", "un pot vibrant de 80 kN", "une enceinte de vide thermique"],
        facts: &["Nos équipements ont volé sur plus de {n} satellites en orbite géostationnaire.", "Nous intégrons et testons nos sous-ensembles en salle propre ISO 8."],
        offers: &[("Mécanismes et structures spatiales", "Conception, fabrication et qualification de mécanismes de déploiement."), ("Essais d'environnement spatial", "Vibrations, chocs, vide thermique."), ("Intégration en salle propre", "Montage et contrôle de sous-ensembles sous atmosphère contrôlée.")],
        ..trade(&["30.30Z"], &["Spatia"], Family::Aerospace)
    },
    Trade {
        what: "la fabrication d'aérostructures et d'équipements aéronautiques",
        stuff: Some("Matières"),
        capabilities: &["aerostructures", "aircraft-assembly", "sheet-metal-work", "composites", "mechanical-assembly", "non-destructive-testing"],
        materials: &["aluminium 2024 et 7075", "titane", "composites carbone", "rivets et fixations aéronautiques"],
        equipment: &["des gabarits d'assemblage jusqu'à 8 m", "une ligne de rivetage automatique", "{n} postes d'assemblage"],
        facts: &["Nous assemblons des panneaux et des tronçons jusqu'à 8 m de long.", "Plus de {qty} sous-ensembles livrés par an aux avionneurs et aux rangs 1."],
        offers: &[("Assemblage de sous-ensembles de structure", "Panneaux, portes, cadres et planchers."), ("Tôlerie aéronautique", "Formage, ajustage et traitement de pièces de structure."), ("Équipements de cabine", "Fabrication de supports et de meubles de cabine certifiés.")],
        certifications: &[("EASA Part 21G", 0.3)],
        ..trade(&["30.30Z"], &[], Family::Aerospace)
    },
    Trade {
        what: "la conception et la fabrication de cartes électroniques",
        capabilities: &["electronic-boards", "embedded-systems", "power-electronics", "microelectronics", "emc", "wiring-harnesses", "testing", "connected-devices"],
        materials: &["cartes multicouches jusqu'à 16 couches", "composants CMS 01005 et BGA", "vernis de tropicalisation", "circuits flex-rigides"],
        equipment: &["{n} lignes de report CMS", "un four de refusion sous azote", "un contrôle optique automatique 3D", "une inspection par rayons X"],
        facts: &["Nos lignes CMS posent jusqu'à 45 000 composants à l'heure.", "Nous fabriquons des séries de 1 à {qty} cartes, testées à 100 %."],
        offers: &[("Assemblage de cartes électroniques", "Report CMS et traversant, vernissage, tests in situ et fonctionnels."), ("Conception électronique", "Schéma, routage, prototypes et dossier de fabrication."), ("Électronique de puissance", "Convertisseurs et alimentations jusqu'à 50 kW."), ("Gestion de l'obsolescence", "Veille composants et reconception de cartes anciennes.")],
        certifications: &[("IPC-A-610", 0.35)],
        english: Some(&English {
            what: "electronic board design and manufacturing",
            stuff: "Technologies",
            materials: &["multilayer boards up to 16 layers", "01005 and BGA components", "flex-rigid circuits"],
            equipment: &["{n} SMT assembly lines", "a 3D automated optical inspection", "an X-ray inspection system"],
            facts: &["We build batches of 1 to {qty} boards, all of them tested.", "Our SMT lines place up to 45,000 components an hour."],
            offers: &[("Electronic board assembly", "SMT and through-hole assembly, conformal coating, in-circuit and functional testing."), ("Electronic design", "Schematics, layout, prototypes and manufacturing files."), ("Obsolescence management", "Component watch and redesign of legacy boards.")],
        }),
        ..trade(&["26.12Z", "26.11Z", "26.20Z"], &[], Family::Electronics)
    },
    Trade {
        what: "les capteurs et l'instrumentation de mesure",
        capabilities: &["sensors", "metrology", "embedded-systems", "electronic-boards", "testing", "connected-devices"],
        materials: &["jauges de contrainte", "capteurs de pression MEMS", "thermocouples", "fibres optiques à réseaux de Bragg"],
        equipment: &["un laboratoire d'étalonnage", "des enceintes climatiques de -70 à +180 °C", "{n} bancs de mesure"],
        facts: &["Nos capteurs fonctionnent de -55 à +200 °C avec une précision de 0,1 % de la pleine échelle.", "Nous étalonnons plus de {qty} instruments par an."],
        offers: &[("Capteurs sur mesure", "Pression, température, effort et déplacement pour environnements sévères."), ("Instrumentation d'essais", "Pose de jauges et acquisition de données pour vos essais."), ("Étalonnage", "Étalonnage raccordé et constats de vérification.")],
        certifications: &[("ISO/IEC 17025", 0.25)],
        ..trade(&["26.51B"], &[], Family::Electronics)
    },
    Trade {
        what: "l'avionique et les calculateurs embarqués",
        capabilities: &["embedded-systems", "electronic-boards", "software-development", "emc", "testing", "power-electronics"],
        materials: &["calculateurs durcis", "bus ARINC 429 et AFDX", "logiciels DO-178C", "matériels DO-254"],
        equipment: &["un laboratoire CEM", "des bancs d'intégration avionique", "{n} enceintes climatiques"],
        facts: &["Nos équipements sont qualifiés DO-160 et développés selon DO-178C et DO-254.", "Plus de {qty} calculateurs en service sur hélicoptères et avions régionaux."],
        offers: &[("Calculateurs embarqués", "Conception et fabrication de calculateurs et d'unités de contrôle."), ("Bancs de test avionique", "Bancs d'intégration et de production sur mesure."), ("Qualification DO-160", "Essais d'environnement et de compatibilité électromagnétique.")],
        ..trade(&["26.51A"], &[], Family::Electronics)
    },
    Trade {
        what: "les radiocommunications et les hyperfréquences",
        capabilities: &["electronic-boards", "embedded-systems", "emc", "microelectronics", "connected-devices", "testing"],
        materials: &["antennes actives", "amplificateurs GaN", "modules hyperfréquence jusqu'à 40 GHz", "radios logicielles"],
        equipment: &["une chambre anéchoïque", "des analyseurs de réseaux vectoriels", "{n} bancs RF"],
        facts: &["Nous concevons des modules RF de 400 MHz à 40 GHz.", "Notre chambre anéchoïque mesure les diagrammes d'antennes de nos clients."],
        offers: &[("Modules radiofréquence", "Conception et fabrication de modules et d'antennes."), ("Mesures d'antennes", "Diagrammes de rayonnement en chambre anéchoïque."), ("Liaisons de données sécurisées", "Radios pour drones et systèmes embarqués.")],
        ..trade(&["26.30Z"], &[], Family::Electronics)
    },
    Trade {
        what: "l'optronique et les systèmes d'imagerie",
        capabilities: &["optronics", "photonics", "lasers", "embedded-systems", "machine-vision", "sensors"],
        materials: &["caméras infrarouges", "optiques asphériques", "détecteurs visibles et IR", "lasers impulsionnels"],
        equipment: &["une salle blanche d'assemblage optique", "des bancs de mesure de FTM", "{n} interféromètres"],
        facts: &["Nos caméras infrarouges détectent une différence de 0,05 °C à 300 m.", "Nous assemblons nos optiques en salle blanche ISO 7."],
        offers: &[("Caméras et imageurs", "Caméras visibles et infrarouges pour l'industrie et la défense."), ("Conception optique", "Calcul, prototypes et mesures d'optiques."), ("Vision industrielle", "Systèmes de contrôle qualité par imagerie.")],
        ..trade(&["26.70Z"], &[], Family::Electronics)
    },
    Trade {
        what: "l'électrotechnique, les moteurs et les convertisseurs",
        capabilities: &["power-electronics", "electromobility", "energy-storage", "industrial-automation", "testing", "energy-efficiency"],
        materials: &["moteurs synchrones à aimants", "transformateurs", "convertisseurs SiC", "bobinages"],
        equipment: &["un banc moteur de 250 kW", "une ligne de bobinage", "{n} postes de test haute tension"],
        facts: &["Nos moteurs atteignent un rendement de 96 % sur toute la plage de vitesse.", "Nous bobinons plus de {qty} moteurs et transformateurs par an."],
        offers: &[("Moteurs électriques sur mesure", "De 1 à 250 kW, pour la mobilité et l'industrie."), ("Réparation et rebobinage", "Expertise, rebobinage et essais de moteurs."), ("Chaînes de traction", "Moteur, convertisseur et contrôle pour véhicules électriques.")],
        ..trade(&["27.11Z"], &[], Family::Electronics)
    },
    Trade {
        what: "la cybersécurité des systèmes industriels et embarqués",
        capabilities: &["cybersecurity", "software-development", "cloud", "embedded-systems", "consulting", "training"],
        materials: &["tests d'intrusion", "audits IEC 62443", "centres opérationnels de sécurité", "homologation de systèmes"],
        equipment: &["un centre opérationnel de sécurité", "un laboratoire de tests d'intrusion", "une équipe de {team} auditeurs"],
        facts: &["Nos auditeurs réalisent plus de {qty} tests d'intrusion par an.", "Notre centre opérationnel surveille les systèmes de nos clients 24 h sur 24."],
        offers: &[("Audit et tests d'intrusion", "Audits d'architecture, de configuration et tests d'intrusion."), ("Sécurité des systèmes industriels", "Analyse de risques et mise en conformité IEC 62443."), ("Supervision de sécurité", "Détection et réponse aux incidents 24/7."), ("Sensibilisation", "Formation des équipes et exercices de crise.")],
        certifications: &[("ISO/IEC 27001", 0.5), ("Qualification PASSI", 0.3)],
        ..trade(&["62.02A", "62.01Z"], &["Cyber"], Family::Digital)
    },
    Trade {
        what: "la simulation numérique et les jumeaux numériques",
        capabilities: &["numerical-simulation", "digital-twin", "hpc", "software-development", "artificial-intelligence", "industrial-data"],
        materials: &["calcul par éléments finis", "mécanique des fluides numérique", "modèles réduits", "couplage multiphysique"],
        equipment: &["un cluster de calcul de {n}00 cœurs", "des licences Abaqus, Ansys et OpenFOAM"],
        facts: &["Nos jumeaux numériques réduisent de {pct} % les essais physiques de nos clients.", "Nous menons chaque année plus de {n}0 études de simulation."],
        offers: &[("Études de simulation", "Mécanique, thermique, fluides et multiphysique."), ("Jumeaux numériques", "Modèles de vos équipements alimentés par les données d'exploitation."), ("Logiciels de calcul sur mesure", "Développement et industrialisation de codes de calcul.")],
        ..trade(&["62.01Z"], &["Simulation", "Jumeaux"], Family::Digital)
    },
    Trade {
        what: "la valorisation des données industrielles et l'intelligence artificielle",
        capabilities: &["industrial-data", "artificial-intelligence", "cloud", "software-development", "mes-erp", "digital-twin"],
        materials: &["maintenance prédictive", "vision par ordinateur", "tableaux de bord de production", "plateformes de données"],
        equipment: &["une plateforme de données hébergée en France", "une équipe de {team} data scientists"],
        facts: &["Nos modèles de maintenance prédictive réduisent de {pct} % les arrêts non planifiés.", "Nous traitons chaque jour les données de plus de {qty} capteurs industriels."],
        offers: &[("Maintenance prédictive", "Modèles d'anomalies à partir de vos données machines."), ("Plateforme de données industrielles", "Collecte, stockage et visualisation des données de production."), ("Contrôle qualité par vision", "Détection automatique de défauts par apprentissage profond.")],
        ..trade(&["62.01Z"], &["Data"], Family::Digital)
    },
    Trade {
        what: "le développement de logiciels et la transformation numérique des industriels",
        capabilities: &["software-development", "web-mobile-apps", "cloud", "mes-erp", "embedded-systems", "cybersecurity", "industrial-data"],
        materials: &["Rust, C++ et Python", "applications web et mobiles", "logiciels embarqués temps réel", "ERP et MES"],
        equipment: &["une équipe de {team} développeurs", "une usine logicielle avec intégration continue"],
        facts: &["Nos logiciels embarqués sont développés selon les normes DO-178C et EN 50128.", "Nous maintenons plus de {n}0 applications métier en production."],
        offers: &[("Développement logiciel au forfait", "Spécification, développement, tests et maintenance."), ("Logiciel embarqué critique", "Développement et vérification selon DO-178C et EN 50128."), ("Intégration ERP et MES", "Paramétrage et interfaçage de vos systèmes de production."), ("Applications web et mobiles", "Portails clients, applications terrain et outils métier.")],
        certifications: &[("ISO/IEC 27001", 0.15)],
        english: Some(&English {
            what: "software development and digital transformation for industry",
            stuff: "Technologies",
            materials: &["Rust, C++ and Python", "real-time embedded software", "web and mobile applications"],
            equipment: &["a team of {team} developers", "a continuous integration software factory"],
            facts: &["Our embedded software is developed to DO-178C and EN 50128.", "We maintain more than {n}0 business applications in production."],
            offers: &[("Fixed-price software development", "Specification, development, testing and maintenance."), ("Safety-critical embedded software", "Development and verification to DO-178C and EN 50128.")],
        }),
        ..trade(&["62.01Z", "62.02A"], &[], Family::Digital)
    },
    Trade {
        what: "le calcul de structures et la justification mécanique",
        capabilities: &["structural-analysis", "numerical-simulation", "design-office", "mechanical-design", "testing"],
        materials: &["structures métalliques et composites", "fatigue et tolérance aux dommages", "dynamique et vibrations", "crash et impact"],
        equipment: &["une équipe de {team} ingénieurs calcul", "des licences Nastran, Abaqus et Samcef"],
        facts: &["Nos ingénieurs justifient chaque année plus de {qty} pièces de structure aéronautique.", "Nous accompagnons nos clients jusqu'à la certification, dossiers de justification compris."],
        offers: &[("Calcul de structures", "Statique, fatigue, tolérance aux dommages."), ("Dossiers de justification", "Rédaction des dossiers pour la certification."), ("Assistance technique", "Ingénieurs calcul détachés sur vos plateaux.")],
        ..trade(&["71.12B"], &["Calcul"], Family::Engineering)
    },
    Trade {
        what: "l'ingénierie mécanique et l'assistance technique",
        capabilities: &["design-office", "mechanical-design", "structural-analysis", "numerical-simulation", "prototyping", "industrialisation", "consulting"],
        materials: &["Catia V5 et 3DEXPERIENCE", "SolidWorks", "calcul éléments finis", "cotation fonctionnelle"],
        equipment: &["un plateau de {team} ingénieurs et techniciens", "un atelier de prototypage avec impression 3D"],
        facts: &["Nous menons des projets au forfait du cahier des charges au dossier de définition.", "Nos ingénieurs interviennent sur plus de {n}0 projets par an."],
        offers: &[("Conception mécanique", "Études, modélisation 3D, mises en plan et dossiers de définition."), ("Industrialisation", "Gammes, outillages et transfert en production."), ("Assistance technique", "Ingénieurs et techniciens détachés sur vos projets."), ("Prototypage rapide", "Impression 3D et maquettes fonctionnelles.")],
        english: Some(&English {
            what: "mechanical engineering and technical assistance",
            stuff: "Tools",
            materials: &["Catia V5 and 3DEXPERIENCE", "SolidWorks", "finite element analysis"],
            equipment: &["a team of {team} engineers", "a prototyping workshop with 3D printing"],
            facts: &["We run fixed-price projects from the specification to the definition file.", "Our engineers work on more than {n}0 projects a year."],
            offers: &[("Mechanical design", "Studies, 3D modelling, drawings and definition files."), ("Industrialisation", "Routings, tooling and transfer to production.")],
        }),
        ..trade(&["71.12B"], &[], Family::Engineering)
    },
    Trade {
        what: "le contrôle non destructif de pièces industrielles et aéronautiques",
        capabilities: &["non-destructive-testing", "testing", "metrology", "cmm-inspection", "training"],
        materials: &["ultrasons multiéléments", "ressuage", "magnétoscopie", "radiographie numérique", "tomographie"],
        equipment: &["une cuve d'immersion ultrasons", "une ligne de ressuage automatisée", "{team} contrôleurs certifiés COFREND niveaux 2 et 3"],
        facts: &["Nos contrôleurs sont certifiés COFREND et EN 4179 niveaux 2 et 3.", "Nous contrôlons plus de {qty} pièces par mois, en laboratoire ou sur site."],
        offers: &[("Contrôle par ultrasons", "Ultrasons conventionnels et multiéléments, en immersion ou au contact."), ("Ressuage et magnétoscopie", "Contrôles de surface sur pièces de fonderie, forge et usinage."), ("Contrôles sur site", "Intervention de nos équipes dans vos ateliers.")],
        certifications: &[("Nadcap NDT", 0.5), ("ISO/IEC 17025", 0.4)],
        ..trade(&["71.20B"], &["Contrôle"], Family::Engineering)
    },
    Trade {
        what: "les essais et la qualification de matériaux et d'équipements",
        capabilities: &["testing", "metrology", "chemical-analysis", "emc", "non-destructive-testing", "numerical-simulation"],
        materials: &["essais de fatigue", "vibrations et chocs", "essais climatiques", "analyses métallurgiques"],
        equipment: &["{n} machines de traction et de fatigue", "des pots vibrants jusqu'à 100 kN", "des enceintes climatiques"],
        facts: &["Notre laboratoire accrédité réalise plus de {qty} essais par an.", "Nous qualifions des équipements aux normes DO-160 et MIL-STD-810."],
        offers: &[("Essais mécaniques", "Traction, fatigue, rupture et dureté."), ("Essais d'environnement", "Vibrations, chocs, climatique, brouillard salin."), ("Expertise et analyse de défaillance", "Métallographie, fractographie et rapport d'expertise.")],
        certifications: &[("ISO/IEC 17025", 0.6), ("Nadcap", 0.2)],
        english: Some(&English {
            what: "testing and qualification of materials and equipment",
            stuff: "Tests",
            materials: &["fatigue testing", "vibration and shock", "climatic testing", "metallurgical analysis"],
            equipment: &["{n} tensile and fatigue testing machines", "shakers up to 100 kN", "climatic chambers"],
            facts: &["Our accredited laboratory runs more than {qty} tests a year.", "We qualify equipment to DO-160 and MIL-STD-810."],
            offers: &[("Mechanical testing", "Tensile, fatigue, fracture and hardness."), ("Environmental testing", "Vibration, shock, climatic and salt spray.")],
        }),
        ..trade(&["71.20B"], &[], Family::Engineering)
    },
    Trade {
        what: "la photonique et les sources laser",
        capabilities: &["photonics", "lasers", "optronics", "sensors", "prototyping"],
        materials: &["lasers à fibre", "composants optiques", "capteurs à fibre optique", "spectroscopie"],
        equipment: &["un laboratoire optique de {area} m²", "des bancs de caractérisation laser"],
        facts: &["Nos sources laser émettent de l'ultraviolet au moyen infrarouge.", "Nous avons déposé {n} brevets sur nos architectures de lasers à fibre."],
        offers: &[("Sources laser sur mesure", "Conception et fabrication de lasers à fibre."), ("Capteurs à fibre optique", "Mesure de température et de déformation répartie."), ("Études de faisabilité", "Preuves de concept en photonique.")],
        ..trade(&["72.19Z"], &["Photonique"], Family::Engineering)
    },
    Trade {
        what: "les technologies de l'hydrogène et le stockage d'énergie",
        capabilities: &["hydrogen", "energy-storage", "batteries", "testing", "prototyping", "numerical-simulation"],
        materials: &["piles à combustible PEM", "électrolyseurs", "réservoirs composites", "systèmes de batteries"],
        equipment: &["un banc d'essais de piles à combustible", "une plateforme hydrogène", "{n} bancs de cyclage"],
        facts: &["Nos systèmes de piles à combustible couvrent de 5 à 100 kW.", "Nous avons mené {n} démonstrateurs avec des industriels et des collectivités."],
        offers: &[("Systèmes hydrogène", "Conception et intégration de systèmes pile à combustible."), ("Essais de piles et batteries", "Caractérisation, vieillissement et sécurité."), ("Études de faisabilité", "Dimensionnement technico-économique de projets hydrogène.")],
        ..trade(&["72.19Z"], &["Hydrogène"], Family::Engineering)
    },
    Trade {
        what: "les traitements de surface par plasma",
        capabilities: &["surface-treatment", "thermal-spraying", "prototyping", "testing", "chemical-analysis"],
        materials: &["dépôts PVD et PECVD", "activation plasma", "revêtements durs", "couches barrières"],
        equipment: &["{n} réacteurs plasma", "une salle de caractérisation des couches"],
        facts: &["Nos dépôts de 50 nm à 10 µm améliorent la tenue à l'usure et à la corrosion.", "Nous traitons des pièces jusqu'à 1 m dans nos réacteurs."],
        offers: &[("Dépôts sous vide", "PVD et PECVD sur pièces métalliques et polymères."), ("Activation plasma", "Préparation de surface avant collage et peinture."), ("Développement de procédés", "Mise au point de traitements sur mesure.")],
        ..trade(&["72.19Z"], &["Plasma"], Family::Engineering)
    },
    Trade {
        what: "la recherche sous contrat et le développement de nouveaux matériaux",
        capabilities: &["prototyping", "testing", "numerical-simulation", "chemical-analysis", "additive-manufacturing", "technical-ceramics"],
        materials: &["alliages métalliques", "céramiques", "matériaux composites", "polymères"],
        equipment: &["un laboratoire de caractérisation", "{n} plateformes de prototypage"],
        facts: &["Nous menons chaque année une dizaine de projets de R&D collaboratifs.", "Nos équipes comptent {n} docteurs en sciences des matériaux."],
        offers: &[("R&D sous contrat", "Projets de recherche appliquée pour les industriels."), ("Caractérisation de matériaux", "Essais, analyses et expertises."), ("Montage de projets collaboratifs", "Projets européens et nationaux.")],
        ..trade(&["72.19Z"], &[], Family::Engineering)
    },
    Trade {
        what: "la fabrication de pièces composites hautes performances",
        capabilities: &["composites", "composite-layup", "tooling", "non-destructive-testing", "prototyping", "mould-making"],
        materials: &["préimprégnés carbone-époxy", "fibres de verre", "thermoplastiques PEEK et PEKK", "nids d'abeilles"],
        equipment: &["un autoclave de {n} m", "une salle blanche de drapage", "une découpe ultrasons des plis", "un contrôle par ultrasons"],
        facts: &["Nos pièces composites atteignent moins de 1 % de porosité, contrôlée par ultrasons.", "Notre salle blanche de {area} m² accueille le drapage de pièces jusqu'à 6 m."],
        offers: &[("Pièces composites en autoclave", "Drapage manuel et automatisé, cuisson et détourage."), ("Composites thermoplastiques", "Estampage et soudage de pièces thermoplastiques."), ("Réparation composite", "Réparation de pièces de structure et d'outillages."), ("Prototypage composite", "Pièces et outillages prototypes en quelques semaines.")],
        english: Some(&English {
            what: "high-performance composite parts",
            stuff: "Materials",
            materials: &["carbon-epoxy prepregs", "glass fibre", "PEEK and PEKK thermoplastics", "honeycomb cores"],
            equipment: &["a {n} m autoclave", "a clean room for lay-up", "ultrasonic inspection"],
            facts: &["Our composite parts are below 1 % porosity, checked by ultrasonic testing.", "Our {area} m² clean room lays up parts up to 6 m long."],
            offers: &[("Autoclave-cured composite parts", "Hand and automated lay-up, curing and trimming."), ("Thermoplastic composites", "Stamping and welding of thermoplastic parts.")],
        }),
        ..trade(&["22.29A"], &["Composites"], Family::Materials)
    },
    Trade {
        what: "l'injection et l'extrusion de pièces plastiques techniques",
        capabilities: &["injection-moulding", "engineering-plastics", "extrusion", "mould-making", "thermoforming", "two-shot-moulding"],
        materials: &["PA66 chargé verre", "PEEK", "polycarbonate", "POM", "polypropylène"],
        equipment: &["{n} presses à injecter de 50 à 800 t", "des lignes d'extrusion de profilés", "une salle propre ISO 7"],
        facts: &["Nous transformons plus de {n}00 tonnes de matière par an.", "Nos presses produisent des séries de {qty} à 1 million de pièces."],
        offers: &[("Injection plastique", "Pièces techniques de 1 g à 2 kg, en moyenne et grande série."), ("Extrusion de profilés", "Profilés techniques sur mesure."), ("Surmoulage et bi-injection", "Inserts métalliques, joints et pièces bi-matière.")],
        certifications: &[("IATF 16949", 0.2), ("ISO 13485", 0.1)],
        ..trade(&["22.29A", "22.21Z"], &[], Family::Materials)
    },
    Trade {
        what: "les pièces en caoutchouc et élastomères techniques",
        capabilities: &["rubber-elastomers", "injection-moulding", "mould-making", "formulation", "testing"],
        materials: &["silicones", "EPDM", "fluoroélastomères", "nitrile"],
        equipment: &["{n} presses de moulage", "un laboratoire de formulation"],
        facts: &["Nos joints tiennent de -60 à +250 °C.", "Nous formulons nos propres mélanges pour chaque application."],
        offers: &[("Joints et pièces moulées", "Joints, membranes et soufflets sur plan."), ("Formulation de mélanges", "Mélanges sur mesure pour environnements sévères."), ("Pièces caoutchouc-métal", "Adhérisation et moulage de pièces composites caoutchouc-métal.")],
        ..trade(&["22.19Z"], &[], Family::Materials)
    },
    Trade {
        what: "les résines, polymères et formulations techniques",
        capabilities: &["formulation", "fine-chemicals", "bio-based-chemistry", "adhesives", "chemical-analysis", "engineering-plastics"],
        materials: &["résines époxy", "polyuréthanes", "résines biosourcées", "additifs"],
        equipment: &["un réacteur pilote de {n}00 litres", "un laboratoire d'analyses"],
        facts: &["Nous produisons de 1 kg à {n}0 tonnes par lot.", "Nos résines biosourcées contiennent jusqu'à {pct} % de matière renouvelable."],
        offers: &[("Formulation sur mesure", "Résines et adhésifs adaptés à votre cahier des charges."), ("Fabrication à façon", "Production en réacteur pilote et industriel."), ("Analyses et caractérisation", "Rhéologie, DSC, spectroscopie.")],
        ..trade(&["20.16Z", "20.59Z", "20.30Z"], &[], Family::Materials)
    },
    Trade {
        what: "les céramiques techniques",
        capabilities: &["technical-ceramics", "prototyping", "grinding", "testing", "additive-manufacturing"],
        materials: &["alumine", "zircone", "carbure de silicium", "nitrure de silicium"],
        equipment: &["{n} fours de frittage", "une imprimante 3D céramique", "une rectifieuse diamant"],
        facts: &["Nos céramiques tiennent jusqu'à 1 600 °C.", "Nous usinons nos céramiques à ±{tol} µm après frittage."],
        offers: &[("Pièces en céramique technique", "Isolants, pièces d'usure et composants thermiques."), ("Impression 3D céramique", "Prototypes et petites séries de formes complexes."), ("Usinage de céramiques", "Rectification et rodage de précision.")],
        ..trade(&["23.44Z"], &[], Family::Materials)
    },
    Trade {
        what: "la fonderie de pièces en alliages légers",
        capabilities: &["foundry", "sand-casting", "die-casting", "heat-treatment", "non-destructive-testing", "milling"],
        materials: &["aluminium A357", "magnésium", "alliages cuivreux", "aciers moulés"],
        equipment: &["un chantier de moulage sable", "{n} presses de fonderie sous pression", "un four de traitement thermique", "une radiographie numérique"],
        facts: &["Nous coulons des pièces de 100 g à 800 kg.", "Nos pièces de fonderie sont radiographiées à 100 % pour l'aéronautique."],
        offers: &[("Fonderie sable", "Pièces unitaires et petites séries jusqu'à 800 kg."), ("Fonderie sous pression", "Séries de pièces en aluminium et magnésium."), ("Pièces finies", "Traitement thermique, usinage et contrôle intégrés.")],
        certifications: &[("Nadcap", 0.25)],
        ..trade(&["24.53Z"], &[], Family::Metal)
    },
    Trade {
        what: "les alliages spéciaux et les demi-produits métalliques",
        capabilities: &["powder-metallurgy", "heat-treatment", "foundry", "extrusion", "testing"],
        materials: &["alliages d'aluminium-lithium", "tubes inox sans soudure", "poudres métalliques", "alliages de titane"],
        equipment: &["un four sous vide", "une presse d'extrusion", "{n} bancs d'étirage"],
        facts: &["Nous livrons des demi-produits certifiés 3.1 selon EN 10204.", "Nos capacités atteignent {n} 000 tonnes par an."],
        offers: &[("Demi-produits sur mesure", "Barres, tubes et profilés en alliages spéciaux."), ("Poudres pour fabrication additive", "Poudres de titane et d'aluminium qualifiées."), ("Traitements thermiques", "Mise en solution, revenu et détente.")],
        ..trade(&["24.42Z", "24.20Z"], &[], Family::Metal)
    },
    Trade {
        what: "la chaudronnerie, la tuyauterie et les structures métalliques",
        capabilities: &["boilermaking", "welding", "steel-structures", "industrial-piping", "sheet-metal-work", "bending"],
        materials: &["acier S355", "inox 316L", "aciers réfractaires", "aluminium 5083"],
        equipment: &["une rouleuse de 3 m", "{n} postes de soudage TIG et MIG", "un pont roulant de 20 t"],
        facts: &["Nos soudeurs sont qualifiés selon EN ISO 9606 et notre atelier de {area} m² traite des ensembles jusqu'à 20 t.", "Nous fabriquons et installons des tuyauteries jusqu'au DN 600."],
        offers: &[("Chaudronnerie sur plan", "Réservoirs, cuves et bâtis mécano-soudés."), ("Tuyauterie industrielle", "Préfabrication et pose sur site."), ("Charpente métallique", "Structures, passerelles et plateformes.")],
        certifications: &[("ISO 3834-2", 0.4)],
        ..trade(&["25.11Z"], &[], Family::Metal)
    },
    Trade {
        what: "la forge et l'estampage de pièces critiques",
        capabilities: &["forging", "closed-die-forging", "heat-treatment", "non-destructive-testing", "milling"],
        materials: &["titane Ti-6Al-4V", "aciers 35NCD16", "superalliages base nickel", "aluminium 7175"],
        equipment: &["{n} presses d'estampage de 1 000 à 8 000 t", "un marteau-pilon", "des fours de traitement thermique"],
        facts: &["Nous forgeons des pièces de 1 à {n}00 kg pour les trains d'atterrissage et les moteurs.", "Chaque lot est tracé de la matière au contrôle final."],
        offers: &[("Estampage de pièces aéronautiques", "Pièces de train, de moteur et de structure."), ("Forge libre", "Pièces unitaires et petites séries."), ("Usinage de pièces forgées", "Ébauche et finition avant livraison.")],
        certifications: &[("Nadcap", 0.3)],
        ..trade(&["25.50A"], &[], Family::Metal)
    },
    Trade {
        what: "les traitements thermiques des métaux",
        capabilities: &["heat-treatment", "testing", "metrology", "surface-treatment"],
        materials: &["cémentation", "nitruration", "trempe sous vide", "revenu et détente"],
        equipment: &["{n} fours sous vide", "une ligne de nitruration gazeuse", "un laboratoire de métallographie"],
        facts: &["Nos fours sous vide traitent des charges jusqu'à 1 500 kg.", "Nous traitons plus de {n} 000 tonnes de pièces par an."],
        offers: &[("Trempe sous vide", "Aciers à outils, inox et superalliages."), ("Nitruration et cémentation", "Durcissement superficiel de pièces mécaniques."), ("Contrôle métallurgique", "Dureté, profondeur de couche et micrographie.")],
        certifications: &[("Nadcap Heat Treating", 0.4)],
        ..trade(&["25.61Z"], &["Thermiques"], Family::Metal)
    },
    Trade {
        what: "les traitements de surface et la peinture industrielle",
        capabilities: &["surface-treatment", "anodising", "passivation", "industrial-painting", "thermal-spraying", "galvanising"],
        materials: &["anodisation chromique et sulfurique", "passivation des inox", "peintures aéronautiques", "projection plasma"],
        equipment: &["{n} lignes de traitement automatiques", "des cabines de peinture", "un laboratoire d'analyses des bains"],
        facts: &["Nos lignes traitent des pièces jusqu'à 6 m de long.", "Nous avons remplacé le chrome hexavalent dans {pct} % de nos procédés."],
        offers: &[("Anodisation de l'aluminium", "Anodisation sulfurique, chromique et dure."), ("Passivation et décapage", "Traitement des inox et des titanes."), ("Peinture aéronautique", "Primaires et finitions qualifiées par les avionneurs.")],
        certifications: &[("Nadcap Chemical Processing", 0.45)],
        ..trade(&["25.61Z"], &[], Family::Metal)
    },
];

/// For a company whose code no trade lists: general industrial services.
const GENERAL: Trade = Trade {
    what: "les services aux industriels",
    capabilities: &[
        "consulting",
        "industrialisation",
        "quality-management",
        "lean-management",
        "training",
    ],
    materials: &["amélioration continue", "qualité", "organisation industrielle"],
    equipment: &[
        "une équipe de {team} consultants",
        "des outils de diagnostic industriel",
    ],
    facts: &["Nous accompagnons chaque année une trentaine de PME industrielles."],
    offers: &[
        (
            "Accompagnement industriel",
            "Diagnostic, plan d'action et mise en œuvre.",
        ),
        ("Formation", "Formations sur site aux méthodes industrielles."),
    ],
    ..trade(&[], &[], Family::Engineering)
};

fn trade_of(fields: &OrganisationFields) -> Option<&'static Trade> {
    TRADES.iter().find(|t| {
        t.naf.contains(&fields.naf_code.as_str())
            && (t.keywords.is_empty() || t.keywords.iter().any(|k| fields.legal_name.contains(k)))
    })
}

struct FamilyWords {
    sectors: &'static [&'static str],
    /// Certifications with the share of companies holding them.
    certifications: &'static [(&'static str, f64)],
    /// Heads the materials in `capabilities_text`.
    stuff: &'static str,
}

impl Family {
    fn words(self) -> &'static FamilyWords {
        match self {
            Family::Mechanical => &FamilyWords {
                sectors: &[
                    "l'aéronautique",
                    "le spatial",
                    "la défense",
                    "le ferroviaire",
                    "le médical",
                    "l'énergie",
                    "l'automobile",
                    "l'agroalimentaire",
                ],
                certifications: &[
                    ("ISO 9001", 0.85),
                    ("EN 9100", 0.4),
                    ("ISO 14001", 0.25),
                    ("ISO 45001", 0.1),
                ],
                stuff: "Matières",
            },
            Family::Metal => &FamilyWords {
                sectors: &[
                    "l'aéronautique",
                    "l'énergie",
                    "le nucléaire",
                    "le ferroviaire",
                    "la défense",
                    "l'automobile",
                    "le naval",
                ],
                certifications: &[
                    ("ISO 9001", 0.85),
                    ("EN 9100", 0.35),
                    ("ISO 14001", 0.3),
                    ("ISO 45001", 0.15),
                ],
                stuff: "Procédés et matières",
            },
            Family::Materials => &FamilyWords {
                sectors: &[
                    "l'aéronautique",
                    "l'automobile",
                    "le médical",
                    "le bâtiment",
                    "l'énergie",
                    "la cosmétique",
                    "le nautisme",
                ],
                certifications: &[
                    ("ISO 9001", 0.85),
                    ("EN 9100", 0.25),
                    ("ISO 14001", 0.35),
                    ("ISO 50001", 0.1),
                ],
                stuff: "Matières",
            },
            Family::Electronics => &FamilyWords {
                sectors: &[
                    "l'aéronautique",
                    "le spatial",
                    "la défense",
                    "le médical",
                    "l'industrie",
                    "l'énergie",
                    "le ferroviaire",
                ],
                certifications: &[
                    ("ISO 9001", 0.85),
                    ("EN 9100", 0.4),
                    ("ISO 14001", 0.2),
                    ("ISO 13485", 0.08),
                ],
                stuff: "Technologies",
            },
            Family::Digital => &FamilyWords {
                sectors: &[
                    "l'aéronautique",
                    "le spatial",
                    "l'industrie",
                    "l'énergie",
                    "la santé",
                    "la défense",
                    "les collectivités",
                ],
                certifications: &[("ISO 9001", 0.3), ("ISO/IEC 27001", 0.1)],
                stuff: "Expertises",
            },
            Family::Engineering => &FamilyWords {
                sectors: &[
                    "l'aéronautique",
                    "le spatial",
                    "l'énergie",
                    "le ferroviaire",
                    "la défense",
                    "l'automobile",
                    "l'industrie",
                ],
                certifications: &[("ISO 9001", 0.7), ("EN 9100", 0.3), ("ISO 14001", 0.1)],
                stuff: "Domaines",
            },
            Family::Aerospace => &FamilyWords {
                sectors: &[
                    "l'aéronautique civile",
                    "l'aviation d'affaires",
                    "les hélicoptères",
                    "le spatial",
                    "la défense",
                ],
                certifications: &[("EN 9100", 0.8), ("ISO 9001", 0.6), ("ISO 14001", 0.2)],
                stuff: "Spécialités",
            },
        }
    }

    /// Labels with the share of companies holding them.
    fn labels(self) -> &'static [(&'static str, f64)] {
        match self {
            Family::Digital => &[
                ("French Tech", 0.35),
                ("Jeune Entreprise Innovante", 0.2),
                ("Lucie 26000", 0.04),
            ],
            Family::Engineering => &[
                ("Deeptech Bpifrance", 0.15),
                ("Jeune Entreprise Innovante", 0.1),
                ("French Tech", 0.06),
            ],
            _ => &[
                ("French Fab", 0.2),
                ("Vitrine Industrie du Futur", 0.05),
                ("Entreprise du Patrimoine Vivant", 0.04),
                ("Label Relations Fournisseur et Achats Responsables", 0.03),
                ("Lucie 26000", 0.03),
            ],
        }
    }
}

const STOCK_FR: &[&str] = &[
    "Entreprise à taille humaine, nous privilégions la réactivité et la proximité avec nos clients.",
    "Notre savoir-faire reconnu nous permet d'accompagner nos clients du prototype à la série.",
    "Réactivité, qualité et respect des délais sont au cœur de notre démarche.",
    "Nous accompagnons nos clients de la conception à la livraison.",
    "Une équipe expérimentée et polyvalente assure un suivi personnalisé de chaque projet.",
    "Notre démarche d'amélioration continue garantit un haut niveau de qualité.",
    "Nous sommes reconnus pour notre réactivité et notre savoir-faire.",
    "Innovation, qualité et satisfaction client guident notre développement.",
];

const STOCK_EN: &[&str] = &[
    "As a company on a human scale, we put responsiveness and closeness to our customers first.",
    "Our recognised know-how takes our customers from prototype to production.",
    "Quality, responsiveness and on-time delivery are at the heart of what we do.",
    "An experienced team follows each project closely.",
];

const METROPOLITAN_REGIONS: [&str; 13] = [
    "11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84", "93", "94",
];
const EXPORT_MARKETS: &[&str] = &[
    "DE", "ES", "IT", "GB", "BE", "CH", "NL", "US", "CA", "MA", "TN", "PL", "SE", "IN", "SG", "BR",
];
/// Clients named in references besides the demo's own large accounts and mid-caps.
const OTHER_CLIENTS: &[&str] = &[
    "Motoriste Démo Propulsion",
    "Groupe Naval Démo",
    "Hélicoptères Démo",
];

const QUANTITIES: [u32; 7] = [100, 200, 500, 1_000, 2_000, 5_000, 10_000];

/// Numbers a profile's facts are filled with, drawn once per profile.
struct Numbers {
    /// People on one team: part of the headcount.
    team: u32,
    tol: u32,
    area: u32,
    qty: u32,
    n: u32,
    pct: u32,
}

impl Numbers {
    fn draw(rng: &mut ChaCha8Rng, headcount: i64) -> Numbers {
        let headcount = u32::try_from(headcount).unwrap_or(u32::MAX);
        Numbers {
            team: (headcount * 2 / 3).max(2),
            tol: *pick(rng, &[2, 3, 5, 10, 20]),
            // Workshops and output grow with the headcount: 40 to 120 m² and up to 500 parts a head.
            area: (headcount * rng.random_range(40..120)).clamp(150, 9_000) / 50 * 50,
            qty: *pick(
                rng,
                &QUANTITIES[..QUANTITIES
                    .iter()
                    .filter(|q| **q <= (headcount * 500).max(500))
                    .count()],
            ),
            // A micro-firm runs two or three machines, not nine.
            n: if headcount < 10 {
                rng.random_range(2..4)
            } else {
                rng.random_range(2..10)
            },
            pct: rng.random_range(15..45),
        }
    }

    fn fill(&self, template: &str) -> String {
        template
            .replace("{team}", &self.team.to_string())
            .replace("{tol}", &self.tol.to_string())
            .replace("{area}", &thousands(self.area))
            .replace("{qty}", &thousands(self.qty))
            .replace("{n}", &self.n.to_string())
            .replace("{pct}", &self.pct.to_string())
    }
}

/// "4 200", as French (and these English) texts write it.
fn thousands(n: u32) -> String {
    if n >= 1_000 {
        format!("{} {:03}", n / 1_000, n % 1_000)
    } else {
        n.to_string()
    }
}

/// SMEs and mid-caps: a profile drawn from their trade, in French or (a few) in English.
fn generated(fields: &OrganisationFields, rng: &mut ChaCha8Rng) -> ProfileInput {
    let trade = trade_of(fields).unwrap_or(&GENERAL);
    let words = trade.family.words();
    let mid_cap = fields.size.as_deref() == Some("mid_cap");
    let numbers = Numbers::draw(rng, fields.headcount);
    let english = trade.english.filter(|_| !mid_cap && rng.random_bool(0.15));
    let founded = match trade.family {
        Family::Digital => rng.random_range(1990..2022),
        _ => rng.random_range(1955..2022),
    };
    let materials = match english {
        Some(en) => some_of(rng, en.materials, 2, 3),
        None => materials_of(trade, &fields.legal_name, rng),
    };
    // A team cannot outnumber the company: very small firms do not speak of theirs.
    let equipment: Vec<&str> = english
        .map_or(trade.equipment, |e| e.equipment)
        .iter()
        .copied()
        .filter(|e| fields.headcount >= 5 || !e.contains("{team}"))
        .collect();
    let equipment = some_of(rng, &equipment, 1, 3);
    let presentation = match english {
        Some(en) => presentation_en(fields, en, &numbers, &equipment, founded, rng),
        None => presentation_fr(fields, trade, &numbers, &equipment, founded, mid_cap, rng),
    };
    let offers_from = english.map_or(trade.offers, |e| e.offers);
    let offer_count = if mid_cap {
        3
    } else {
        *pick(rng, &[1, 2, 2, 3, 3, 4])
    };
    let offers = some_of(rng, offers_from, offer_count, offer_count)
        .into_iter()
        .map(|(title, description)| offer(title, description, members_if(rng, 0.12)))
        .collect();
    let (head, tail) = trade.capabilities.split_at(2.min(trade.capabilities.len()));
    let extra = rng.random_range(1..=(tail.len().min(6)));
    let mut terms: Vec<&str> = head.to_vec();
    terms.extend(some_of(rng, tail, extra, extra));
    let capabilities_text = match english {
        Some(en) => format!(
            "Resources: {}. {}: {}.",
            equipment
                .iter()
                .map(|e| numbers.fill(e))
                .collect::<Vec<_>>()
                .join(", "),
            en.stuff,
            materials.join(", ")
        ),
        None => format!(
            "Moyens : {}. {} : {}.",
            equipment
                .iter()
                .map(|e| numbers.fill(e))
                .collect::<Vec<_>>()
                .join(", "),
            trade.stuff.unwrap_or(words.stuff),
            materials.join(", ")
        ),
    };
    ProfileInput {
        presentation: Visible {
            value: presentation,
            visibility: members_if(rng, 0.03),
        },
        offers,
        capability_terms: Visible::public(codes(&terms)),
        capabilities_text: Visible {
            value: capabilities_text,
            visibility: members_if(rng, 0.25),
        },
        certifications: Visible {
            value: certifications(rng, words.certifications, trade.certifications, mid_cap),
            visibility: members_if(rng, 0.05),
        },
        labels: Visible::public(labels(rng, trade.family, mid_cap)),
        references: references(rng, fields, offers_from, mid_cap),
        regions_served: Visible {
            value: regions(rng, &fields.region_code, mid_cap),
            visibility: members_if(rng, 0.1),
        },
        export_markets: Visible {
            value: exports(rng, mid_cap),
            visibility: members_if(rng, 0.2),
        },
        headcount_band: Visible::public(Some(headcount_band(fields.headcount).as_str().into())),
        turnover_band: Visible {
            value: fields.turnover_eur.map(|t| turnover_band(t).as_str().into()),
            visibility: members_if(rng, 0.5),
        },
        languages: Visible::public(languages(rng, english.is_some())),
    }
}

fn presentation_fr(
    fields: &OrganisationFields,
    trade: &Trade,
    numbers: &Numbers,
    equipment: &[&str],
    founded: u32,
    mid_cap: bool,
    rng: &mut ChaCha8Rng,
) -> String {
    let name = short_name(&fields.legal_name);
    let commune = commune_name(&fields.commune_code);
    let what = trade.what;
    let staff = match fields.headcount {
        1 => "1 personne".to_owned(),
        n => format!("{n} personnes"),
    };
    let opening = if mid_cap {
        format!(
            "{name} est une ETI de {} salariés spécialisée dans {what}, dont le siège est à {commune}.",
            thousands(fields.headcount as u32)
        )
    } else {
        match rng.random_range(0..3) {
            0 => format!(
                "{name} est une entreprise de {staff} spécialisée dans {what}, installée à {commune} depuis {founded}."
            ),
            1 => format!("Fondée en {founded} à {commune}, {name} est spécialisée dans {what}."),
            _ => format!(
                "Depuis {founded}, {name} accompagne ses clients dans {what} depuis son site de {commune}."
            ),
        }
    };
    // A mid-cap of several hundred people does not call itself "à taille humaine".
    let stock_phrases = if mid_cap { &STOCK_FR[1..] } else { STOCK_FR };
    let mut sentences = vec![opening];
    let brief = rng.random_bool(0.1);
    let facts = if brief { 1 } else { rng.random_range(1..=2) };
    sentences.extend(
        some_of(rng, trade.facts, facts, facts)
            .iter()
            .map(|f| numbers.fill(f)),
    );
    if brief {
        sentences.push((*pick(rng, stock_phrases)).to_owned());
        return sentences.join(" ");
    }
    let with_equipment = equipment.len() >= 2 && rng.random_bool(0.5);
    if with_equipment {
        sentences.push(format!(
            "Nos moyens comprennent {} et {}.",
            numbers.fill(equipment[0]),
            numbers.fill(equipment[1])
        ));
    }
    let sectors = some_of(rng, trade.family.words().sectors, 2, 3);
    sentences.push(format!("Nous travaillons pour {}.", french_list(&sectors)));
    let stock = if facts + usize::from(with_equipment) >= 3 {
        1
    } else {
        rng.random_range(1..=2)
    };
    for phrase in some_of(rng, stock_phrases, stock, stock) {
        // A stock phrase reads as well second as last.
        let at = if rng.random_bool(0.5) { 1 } else { sentences.len() };
        sentences.insert(at, phrase.to_owned());
    }
    sentences.join(" ")
}

fn presentation_en(
    fields: &OrganisationFields,
    en: &English,
    numbers: &Numbers,
    equipment: &[&str],
    founded: u32,
    rng: &mut ChaCha8Rng,
) -> String {
    let name = short_name(&fields.legal_name);
    let commune = commune_name(&fields.commune_code);
    let mut sentences = vec![format!(
        "Founded in {founded} in {commune}, {name} is a company of {} specialising in {}.",
        match fields.headcount {
            1 => "one person".to_owned(),
            n => format!("{n} people"),
        },
        en.what
    )];
    sentences.extend(some_of(rng, en.facts, 1, 2).iter().map(|f| numbers.fill(f)));
    if equipment.len() >= 2 {
        sentences.push(format!(
            "Our resources include {} and {}.",
            numbers.fill(equipment[0]),
            numbers.fill(equipment[1])
        ));
    }
    sentences.push((*pick(rng, STOCK_EN)).to_owned());
    sentences.join(" ")
}

/// The trade's materials, those the company's name mentions ("Usinage Titane", "Tubes Inox") first.
fn materials_of(trade: &Trade, legal_name: &str, rng: &mut ChaCha8Rng) -> Vec<&'static str> {
    let name = search_key(legal_name);
    let (mut named, others): (Vec<&str>, Vec<&str>) = trade.materials.iter().copied().partition(|m| {
        search_key(m)
            .split(' ')
            .any(|w| w.len() > 3 && name.split(' ').any(|n| n == w))
    });
    let count = rng.random_range(2..=3.min(others.len().max(2)));
    named.extend(some_of(rng, &others, count, count));
    named
}

fn certifications(
    rng: &mut ChaCha8Rng,
    family: &[(&str, f64)],
    trade: &[(&str, f64)],
    mid_cap: bool,
) -> Vec<Credential> {
    let boost = if mid_cap { 0.25 } else { 0.0 };
    let mut out = Vec::new();
    for (name, share) in family.iter().chain(trade) {
        if rng.random_bool((share + boost).min(1.0)) {
            // Certificates run three years; one in ten has lapsed without being renewed.
            let expires_on = if rng.random_bool(0.1) {
                date(rng, 2024, 2026)
            } else {
                date(rng, 2027, 2029)
            };
            out.push(credential(name, Some(&expires_on)));
        }
    }
    out
}

fn labels(rng: &mut ChaCha8Rng, family: Family, mid_cap: bool) -> Vec<Credential> {
    let boost = if mid_cap { 0.15 } else { 0.0 };
    let mut out = Vec::new();
    for (name, share) in family.labels() {
        if rng.random_bool((share + boost).min(1.0)) {
            // Only the responsible-purchasing and CSR labels are awarded for a term.
            let expires = name.starts_with("Label Relations") || name.starts_with("Lucie");
            let expires_on = expires.then(|| date(rng, 2026, 2029));
            out.push(credential(name, expires_on.as_deref()));
        }
    }
    out
}

/// `YYYY-MM-DD` between the first and last year, on a day every month has.
fn date(rng: &mut ChaCha8Rng, first_year: u32, last_year: u32) -> String {
    format!(
        "{}-{:02}-{:02}",
        rng.random_range(first_year..=last_year),
        rng.random_range(1..=12),
        rng.random_range(1..=28)
    )
}

/// Clients for whom the company delivered one of its offers.
fn references(
    rng: &mut ChaCha8Rng,
    fields: &OrganisationFields,
    offers: &[(&str, &str)],
    mid_cap: bool,
) -> Vec<Reference> {
    let count = if mid_cap {
        rng.random_range(2..=4)
    } else {
        *pick(rng, &[0, 0, 1, 1, 2, 3])
    };
    let own = short_name(&fields.legal_name);
    let clients: Vec<&str> = LARGE_ACCOUNTS
        .iter()
        .chain(&MID_CAPS)
        .map(|o| o.name)
        .chain(OTHER_CLIENTS.iter().copied())
        .filter(|c| *c != own)
        .collect();
    some_of(rng, &clients, count, count)
        .into_iter()
        .map(|client| Reference {
            client: client.to_owned(),
            project: pick(rng, offers).0.to_owned(),
            year: Some(rng.random_range(2018..=2026)),
            visibility: members_if(rng, 0.4),
        })
        .collect()
}

fn regions(rng: &mut ChaCha8Rng, home: &str, mid_cap: bool) -> Vec<String> {
    if rng.random_bool(if mid_cap { 0.5 } else { 0.1 }) {
        return METROPOLITAN_REGIONS.iter().map(|r| (*r).to_owned()).collect();
    }
    let mut out = vec![home.to_owned()];
    let others: Vec<&str> = METROPOLITAN_REGIONS
        .iter()
        .copied()
        .filter(|r| *r != home)
        .collect();
    let count = rng.random_range(0..=3);
    out.extend(some_of(rng, &others, count, count).into_iter().map(str::to_owned));
    out
}

fn exports(rng: &mut ChaCha8Rng, mid_cap: bool) -> Vec<String> {
    let count = if mid_cap {
        rng.random_range(3..=8)
    } else if rng.random_bool(0.45) {
        rng.random_range(1..=4)
    } else {
        0
    };
    some_of(rng, EXPORT_MARKETS, count, count)
        .into_iter()
        .map(str::to_owned)
        .collect()
}

fn languages(rng: &mut ChaCha8Rng, english: bool) -> Vec<String> {
    let mut out = if english { vec!["en", "fr"] } else { vec!["fr"] };
    if !english && rng.random_bool(0.7) {
        out.push("en");
    }
    if rng.random_bool(0.15) {
        out.push(*pick(rng, &["de", "es", "it"]));
    }
    out.into_iter().map(str::to_owned).collect()
}

/// Between `min` and `max` distinct items of `items` (fewer if it has fewer), in drawing order.
fn some_of<T: Copy>(rng: &mut ChaCha8Rng, items: &[T], min: usize, max: usize) -> Vec<T> {
    let count = rng.random_range(min..=max).min(items.len());
    let mut positions: Vec<usize> = (0..items.len()).collect();
    let mut out = Vec::with_capacity(count);
    for _ in 0..count {
        let i = rng.random_range(0..positions.len());
        out.push(items[positions.swap_remove(i)]);
    }
    out
}

fn members_if(rng: &mut ChaCha8Rng, share: f64) -> Visibility {
    if rng.random_bool(share) {
        Visibility::Members
    } else {
        Visibility::Public
    }
}

/// "a", "a et b", "a, b et c".
fn french_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} et {last}", init.join(", ")),
    }
}

fn short_name(legal_name: &str) -> &str {
    [" SAS", " SARL", " SA"]
        .iter()
        .find_map(|form| legal_name.strip_suffix(form))
        .unwrap_or(legal_name)
}

fn commune_name(code: &str) -> &'static str {
    geo::commune(code).map_or("Toulouse", |c| c.name)
}

fn offer(title: &str, description: &str, visibility: Visibility) -> Offer {
    Offer {
        title: title.into(),
        description: description.into(),
        visibility,
    }
}

fn credential(name: &str, expires_on: Option<&str>) -> Credential {
    Credential {
        name: name.into(),
        expires_on: expires_on.map(str::to_owned),
    }
}

fn codes(codes: &[&str]) -> Vec<String> {
    codes.iter().map(|c| (*c).to_owned()).collect()
}

fn headcount_band(headcount: i64) -> HeadcountBand {
    match headcount {
        ..10 => HeadcountBand::UpTo9,
        10..50 => HeadcountBand::From10To49,
        50..250 => HeadcountBand::From50To249,
        250..5_000 => HeadcountBand::From250To4999,
        _ => HeadcountBand::From5000,
    }
}

fn turnover_band(euros: i64) -> TurnoverBand {
    match euros {
        ..2_000_000 => TurnoverBand::Under2M,
        2_000_000..10_000_000 => TurnoverBand::From2MTo10M,
        10_000_000..50_000_000 => TurnoverBand::From10MTo50M,
        50_000_000..1_500_000_000 => TurnoverBand::From50MTo1500M,
        _ => TurnoverBand::Over1500M,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::capability::CapabilityCode;
    use search::{Audience, SearchIndex, SearchRequest};
    use store::directory::DirectoryRow;
    use store::records::Organisation;

    fn planned() -> Vec<(OrganisationFields, Option<Profile>)> {
        super::super::plan()
            .into_iter()
            .map(|o| {
                let profile = validated(&o.fields);
                (o.fields, profile)
            })
            .collect()
    }

    fn sentences(text: &str) -> usize {
        text.matches(". ").count() + usize::from(text.ends_with('.'))
    }

    #[test]
    fn every_trade_names_known_capabilities_and_enough_words() {
        for t in TRADES.iter().chain([&GENERAL]) {
            for code in t.capabilities {
                CapabilityCode::parse(code).unwrap_or_else(|e| panic!("{}: {e}", t.what));
            }
            assert!(t.capabilities.len() >= 4, "{}", t.what);
            assert!(
                !t.offers.is_empty() && !t.facts.is_empty() && !t.equipment.is_empty(),
                "{}",
                t.what
            );
            assert!(t.materials.len() >= 2, "{}", t.what);
        }
    }

    #[test]
    fn every_company_of_the_plan_has_a_valid_profile_from_its_own_trade() {
        for (fields, profile) in planned() {
            let name = &fields.legal_name;
            match (fields.kind.as_str(), fields.size.as_deref()) {
                ("association", _) => assert!(profile.is_none(), "{name}"),
                ("company", Some("sme" | "mid_cap")) => {
                    let profile = profile.unwrap_or_else(|| panic!("{name} has no profile"));
                    if *name != DEMO_SME {
                        assert!(
                            trade_of(&fields).is_some(),
                            "{name} ({}) has no trade",
                            fields.naf_code
                        );
                    }
                    assert!((1..=4).contains(&profile.offers.len()), "{name}");
                    assert!((3..=8).contains(&profile.capability_terms.value.len()), "{name}");
                    let count = sentences(&profile.presentation.value);
                    assert!((3..=6).contains(&count), "{name}: {count} sentences");
                    assert_eq!(
                        profile.headcount_band.value,
                        Some(headcount_band(fields.headcount))
                    );
                    let turnover = fields.turnover_eur.map(turnover_band);
                    assert_eq!(profile.turnover_band.value, turnover, "{name}");
                }
                _ => {}
            }
        }
    }

    #[test]
    fn sme_bands_stay_within_the_sme_thresholds() {
        for (fields, profile) in planned() {
            if fields.size.as_deref() == Some("sme") {
                let profile = profile.unwrap();
                assert!(profile.headcount_band.value <= Some(HeadcountBand::From50To249));
                assert!(profile.turnover_band.value <= Some(TurnoverBand::From10MTo50M));
            }
        }
    }

    #[test]
    fn profiles_are_varied_and_some_fields_are_for_members() {
        let profiles: Vec<Profile> = planned().into_iter().filter_map(|(_, p)| p).collect();
        let count = |predicate: &dyn Fn(&Profile) -> bool| profiles.iter().filter(|p| predicate(p)).count();
        let english = count(&|p| p.presentation.value.starts_with("Founded in"));
        assert!((3..=40).contains(&english), "{english} profiles in English");
        let today = "2026-11-25";
        assert!(count(&|p| p.certifications.value.iter().any(|c| !c.is_current(today))) >= 5);
        assert!(count(&|p| p.certifications.value.iter().any(|c| c.name == "EN 9100")) >= 30);
        assert!(count(&|p| p.labels.value.iter().any(|c| c.name == "French Tech")) >= 3);
        assert!(count(&|p| p.references.iter().any(|r| r.visibility == Visibility::Members)) >= 30);
        assert!(count(&|p| !p.capabilities_text.is_public()) >= 20);
        assert!(count(&|p| !p.turnover_band.is_public()) >= 50);
        assert!(count(&|p| p.offers.iter().any(|o| o.visibility == Visibility::Members)) >= 10);
        assert!(count(&|p| !p.export_markets.value.is_empty()) >= 50);
        let presentations: std::collections::HashSet<&str> =
            profiles.iter().map(|p| p.presentation.value.as_str()).collect();
        assert_eq!(presentations.len(), profiles.len(), "two profiles read the same");
    }

    #[test]
    fn large_accounts_get_short_profiles_or_none() {
        let large: Vec<_> = planned()
            .into_iter()
            .filter(|(f, _)| f.size.as_deref() == Some("large"))
            .collect();
        let with_profile = large.iter().filter(|(_, p)| p.is_some()).count();
        assert!(with_profile >= 1 && with_profile < large.len());
        for (_, profile) in large.iter().filter_map(|(f, p)| Some((f, p.as_ref()?))) {
            assert!(profile.offers.is_empty());
            assert!(sentences(&profile.presentation.value) <= 3);
        }
    }

    #[test]
    fn the_demo_sme_profile_is_the_hand_written_one() {
        let (_, profile) = planned()
            .into_iter()
            .find(|(f, _)| f.legal_name == DEMO_SME)
            .unwrap();
        let profile = profile.unwrap();
        assert!(profile.presentation.value.contains("titane"));
        assert!(profile.certifications.value.iter().any(|c| c.name == "EN 9100"));
        let airbus = profile
            .references
            .iter()
            .find(|r| r.client == "Airbus Helicopters")
            .unwrap();
        assert_eq!(airbus.visibility, Visibility::Members);
        assert!(
            profile
                .public_view()
                .references
                .iter()
                .all(|r| r.client != "Airbus Helicopters")
        );
    }

    #[test]
    fn the_same_plan_gives_the_same_profiles() {
        let first: Vec<Option<String>> = super::super::plan().iter().map(|o| document(&o.fields)).collect();
        let again: Vec<Option<String>> = super::super::plan().iter().map(|o| document(&o.fields)).collect();
        assert_eq!(first, again);
    }

    /// The demo's own search story: the demo SME first for its trade, in any spelling.
    #[test]
    fn the_demo_sme_comes_first_for_titanium_aerospace_machining() {
        let index = SearchIndex::in_ram().unwrap();
        let today = "2026-11-25";
        for (i, (fields, profile)) in planned().into_iter().enumerate() {
            let row = DirectoryRow {
                organisation: Organisation {
                    id: i as i64 + 1,
                    fields,
                    created_at: 0,
                    updated_at: 0,
                },
                profile_json: profile.map(|p| serde_json::to_string(&p).unwrap()),
                clusters: vec![1],
            };
            index
                .upsert(&crate::directory::index::profile_doc(&row, today))
                .unwrap();
        }
        index.commit().unwrap();
        for text in [
            "usinage titane aéronautique",
            "usinage titane aeronautique",
            "usinage titnae aéronautique",
        ] {
            for audience in [Audience::Visitor, Audience::Member] {
                let results = index.search(&SearchRequest::new(text, audience)).unwrap();
                let names: Vec<&str> = results.hits.iter().take(3).map(|h| h.name.as_str()).collect();
                assert_eq!(names.first(), Some(&DEMO_SME), "{text} ({audience:?}): {names:?}");
            }
        }
    }
}
