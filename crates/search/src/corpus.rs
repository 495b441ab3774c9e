//! A seeded generator of realistic SME profiles for the benchmark: sector vocabularies, real NAF
//! codes and departments from `domain`, and the stock phrases most SMEs present themselves with.

use domain::naf::NafCode;
use domain::org::OrgSize;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::document::{Offer, ProfileDoc, Visibility, Visible};

/// One trade: its activity codes and the words its firms use.
pub struct Sector {
    pub naf: &'static [&'static str],
    /// Controlled-vocabulary capability terms.
    pub terms: &'static [&'static str],
    /// What the firm does, as a noun phrase after "spécialisée dans".
    pub activities: &'static [&'static str],
    pub materials: &'static [&'static str],
    /// Words that make up trade names.
    pub name_roots: &'static [&'static str],
    pub certifications: &'static [&'static str],
    /// The competitiveness clusters this trade belongs to.
    pub clusters: &'static [i64],
    /// The activity in English, for the profiles written in English.
    pub english: &'static [&'static str],
}

pub static SECTORS: &[Sector] = &[
    Sector {
        naf: &["25.62B", "25.62A", "28.41Z", "33.12Z"],
        terms: &[
            "Usinage 5 axes",
            "Tournage",
            "Fraisage",
            "Décolletage",
            "Rectification",
            "Électroérosion",
            "Usinage grande vitesse",
            "Ébavurage",
            "Contrôle tridimensionnel",
            "Mécanique de précision",
        ],
        activities: &[
            "l'usinage de pièces de précision",
            "le tournage et le fraisage de pièces complexes",
            "la sous-traitance mécanique",
            "le décolletage de petites pièces",
            "l'usinage de pièces unitaires et de petites séries",
        ],
        materials: &[
            "titane",
            "inox",
            "aluminium",
            "Inconel",
            "acier",
            "laiton",
            "bronze",
        ],
        name_roots: &[
            "Méca",
            "Usinage",
            "Précision",
            "Tournage",
            "Décolletage",
            "Mécanique",
        ],
        certifications: &["ISO 9001", "EN 9100", "IATF 16949", "ISO 14001"],
        clusters: &[1, 3, 7, 12],
        english: &["precision machining", "CNC turning and milling", "machined parts"],
    },
    Sector {
        naf: &["30.30Z", "33.16Z"],
        terms: &[
            "Aérostructures",
            "Composites",
            "Drapage",
            "Assemblage aéronautique",
            "Câblage",
            "Maintenance aéronautique",
            "Outillage",
        ],
        activities: &[
            "la fabrication d'aérostructures",
            "la conception de pièces composites",
            "l'assemblage de sous-ensembles aéronautiques",
            "la maintenance et la réparation d'équipements aéronautiques",
        ],
        materials: &["carbone", "titane", "aluminium", "thermoplastique", "kevlar"],
        name_roots: &["Aéro", "Aérostructures", "Composites", "Avia", "Spatial"],
        certifications: &["EN 9100", "ISO 9001", "Nadcap", "Part 145"],
        clusters: &[1, 2, 9],
        english: &[
            "aerostructures",
            "composite parts for aerospace",
            "aircraft maintenance",
        ],
    },
    Sector {
        naf: &["24.51Z", "24.52Z", "24.10Z", "24.42Z", "25.50A"],
        terms: &[
            "Fonderie",
            "Forge",
            "Moulage sable",
            "Traitement thermique",
            "Métallurgie des poudres",
            "Estampage",
        ],
        activities: &[
            "la fonderie de pièces en fonte et en acier",
            "la forge et l'estampage",
            "la métallurgie des alliages",
            "le traitement thermique des métaux",
        ],
        materials: &["fonte", "acier", "aluminium", "cuivre", "titane", "superalliages"],
        name_roots: &["Fonderie", "Forges", "Métallurgie", "Aciéries", "Métal"],
        certifications: &["ISO 9001", "ISO 14001", "ISO 50001"],
        clusters: &[3, 10, 14],
        english: &["metal casting", "forging", "heat treatment"],
    },
    Sector {
        naf: &["25.11Z", "25.29Z", "33.11Z"],
        terms: &[
            "Chaudronnerie",
            "Soudure",
            "Tôlerie",
            "Découpe laser",
            "Pliage",
            "Tuyauterie",
            "Structures métalliques",
        ],
        activities: &[
            "la chaudronnerie et la tôlerie fine",
            "la soudure de structures métalliques",
            "la fabrication de cuves et de réservoirs",
            "la découpe laser et le pliage",
        ],
        materials: &["inox", "acier", "aluminium", "duplex"],
        name_roots: &["Chaudronnerie", "Tôlerie", "Soudure", "Métallerie", "Inox"],
        certifications: &["ISO 3834", "MASE", "ISO 9001", "EN 1090"],
        clusters: &[3, 8, 14],
        english: &["sheet metal work", "welding", "steel structures"],
    },
    Sector {
        naf: &["25.61Z"],
        terms: &[
            "Anodisation",
            "Peinture industrielle",
            "Galvanisation",
            "Passivation",
            "Traitement de surface",
            "Projection thermique",
        ],
        activities: &[
            "le traitement de surface des métaux",
            "l'anodisation de l'aluminium",
            "la peinture industrielle et le revêtement",
        ],
        materials: &["aluminium", "acier", "titane", "zinc", "nickel"],
        name_roots: &["Surface", "Revêtements", "Anodisation", "Traitements"],
        certifications: &["Nadcap", "EN 9100", "ISO 9001", "ISO 14001"],
        clusters: &[1, 3],
        english: &["surface treatment", "anodising", "industrial coating"],
    },
    Sector {
        naf: &["22.29A", "22.22Z", "22.21Z", "20.16Z"],
        terms: &[
            "Injection plastique",
            "Extrusion",
            "Thermoformage",
            "Moules",
            "Bi-injection",
            "Plastiques techniques",
        ],
        activities: &[
            "l'injection plastique de pièces techniques",
            "l'extrusion de profilés",
            "la conception et la fabrication de moules",
            "le thermoformage",
        ],
        materials: &["polyamide", "polypropylène", "PEEK", "silicone", "polycarbonate"],
        name_roots: &["Plast", "Plasturgie", "Polymères", "Moules", "Injection"],
        certifications: &["ISO 9001", "IATF 16949", "ISO 13485"],
        clusters: &[4, 11],
        english: &["plastic injection moulding", "extrusion", "mould making"],
    },
    Sector {
        naf: &["26.11Z", "26.12Z", "26.51B", "26.30Z", "27.11Z"],
        terms: &[
            "Cartes électroniques",
            "Capteurs",
            "Électronique de puissance",
            "Systèmes embarqués",
            "Compatibilité électromagnétique",
            "Objets connectés",
            "Optronique",
        ],
        activities: &[
            "la conception de cartes électroniques",
            "le développement de capteurs connectés",
            "l'électronique embarquée",
            "l'assemblage de cartes électroniques",
        ],
        materials: &["semi-conducteurs", "céramique", "cuivre", "silicium"],
        name_roots: &["Électronique", "Capteurs", "Électro", "Opto", "Systèmes"],
        certifications: &["ISO 9001", "EN 9100", "IPC-A-610", "ISO 14001"],
        clusters: &[5, 6, 13],
        english: &["electronic boards", "sensors", "embedded systems"],
    },
    Sector {
        naf: &["62.01Z", "62.02A", "63.11Z", "58.29C"],
        terms: &[
            "Développement logiciel",
            "Cybersécurité",
            "Intelligence artificielle",
            "Cloud",
            "Jumeau numérique",
            "Données industrielles",
            "Réalité augmentée",
        ],
        activities: &[
            "le développement de logiciels industriels",
            "la cybersécurité des systèmes industriels",
            "l'intelligence artificielle appliquée à la production",
            "l'hébergement et l'infogérance",
        ],
        materials: &["données", "cloud", "logiciel"],
        name_roots: &["Data", "Soft", "Numérique", "Cyber", "Logiciels", "Digital"],
        certifications: &["ISO 27001", "HDS", "ISO 9001"],
        clusters: &[6, 13, 15],
        english: &["software development", "cybersecurity", "artificial intelligence"],
    },
    Sector {
        naf: &["71.12B", "72.19Z", "71.20B"],
        terms: &[
            "Calcul de structures",
            "Simulation numérique",
            "Conception mécanique",
            "Essais",
            "Prototypage",
            "Bureau d'études",
        ],
        activities: &[
            "le calcul de structures et la simulation numérique",
            "la conception mécanique et l'industrialisation",
            "les essais et la qualification",
            "le prototypage rapide",
        ],
        materials: &["acier", "composites", "aluminium"],
        name_roots: &["Ingénierie", "Études", "Conception", "Simulation", "Tech"],
        certifications: &["ISO 9001", "EN 9100", "COFRAC"],
        clusters: &[1, 2, 7],
        english: &["engineering studies", "numerical simulation", "mechanical design"],
    },
    Sector {
        naf: &["28.99B", "28.22Z", "33.20C", "28.29B"],
        terms: &[
            "Robotique",
            "Cobotique",
            "Automatisme",
            "Vision industrielle",
            "Machines spéciales",
            "Convoyage",
        ],
        activities: &[
            "l'intégration de robots industriels",
            "la conception de machines spéciales",
            "l'automatisme et la vision industrielle",
        ],
        materials: &["acier", "aluminium"],
        name_roots: &["Robotique", "Automation", "Machines", "Cobot", "Systèmes"],
        certifications: &["ISO 9001", "CE"],
        clusters: &[7, 12, 15],
        english: &["industrial robotics", "special machines", "machine vision"],
    },
    Sector {
        naf: &["10.72Z", "10.51C", "10.39B", "10.85Z", "11.07A"],
        terms: &[
            "Agroalimentaire",
            "Biscuiterie",
            "Conserverie",
            "Produits laitiers",
            "Plats cuisinés",
            "Emballage alimentaire",
        ],
        activities: &[
            "la fabrication de biscuits et de pâtisseries",
            "la transformation de fruits et légumes",
            "la fabrication de plats cuisinés",
            "les produits laitiers",
        ],
        materials: &["farine", "lait", "fruits", "légumes"],
        name_roots: &["Saveurs", "Biscuiterie", "Terroir", "Délices", "Conserverie"],
        certifications: &["IFS Food", "BRCGS", "ISO 22000", "Bio"],
        clusters: &[16, 17],
        english: &["food processing", "biscuits", "ready meals"],
    },
    Sector {
        naf: &["35.11Z", "27.90Z", "43.21A", "71.12B"],
        terms: &[
            "Hydrogène",
            "Photovoltaïque",
            "Éolien",
            "Stockage d'énergie",
            "Efficacité énergétique",
            "Batteries",
        ],
        activities: &[
            "la production d'hydrogène vert",
            "les centrales photovoltaïques",
            "le stockage d'énergie",
            "l'efficacité énergétique des sites industriels",
        ],
        materials: &["hydrogène", "lithium", "silicium"],
        name_roots: &["Énergie", "Solaire", "Hydrogène", "Watt", "Éco"],
        certifications: &["ISO 50001", "ISO 14001", "Qualibat"],
        clusters: &[10, 18, 19],
        english: &["green hydrogen", "energy storage", "solar power"],
    },
    Sector {
        naf: &["32.50A", "21.20Z", "26.60Z"],
        terms: &[
            "Dispositifs médicaux",
            "Implants",
            "Salle propre",
            "Biocompatibilité",
            "Instruments chirurgicaux",
        ],
        activities: &[
            "la fabrication de dispositifs médicaux",
            "les implants orthopédiques",
            "les instruments chirurgicaux",
        ],
        materials: &["titane", "PEEK", "inox", "céramique"],
        name_roots: &["Médical", "Bio", "Santé", "Ortho", "Implants"],
        certifications: &["ISO 13485", "ISO 9001", "MDR"],
        clusters: &[20, 21],
        english: &["medical devices", "orthopaedic implants", "surgical instruments"],
    },
    Sector {
        naf: &["13.96Z", "13.99Z", "13.20Z"],
        terms: &[
            "Textiles techniques",
            "Enduction",
            "Tissage",
            "Non-tissés",
            "Confection",
        ],
        activities: &[
            "les textiles techniques",
            "l'enduction de tissus",
            "le tissage de fibres techniques",
        ],
        materials: &["fibre de verre", "aramide", "polyester", "lin"],
        name_roots: &["Textiles", "Tissages", "Fibres", "Tex"],
        certifications: &["ISO 9001", "Oeko-Tex"],
        clusters: &[22, 11],
        english: &["technical textiles", "coated fabrics", "weaving"],
    },
    Sector {
        naf: &["52.10B", "49.41A", "52.29A"],
        terms: &[
            "Logistique",
            "Entreposage",
            "Transport",
            "Préparation de commandes",
        ],
        activities: &[
            "la logistique industrielle",
            "l'entreposage et la préparation de commandes",
            "le transport de marchandises",
        ],
        materials: &["palettes"],
        name_roots: &["Logistique", "Transports", "Entrepôts", "Fret"],
        certifications: &["ISO 9001", "MASE", "OEA"],
        clusters: &[23],
        english: &["industrial logistics", "warehousing", "freight transport"],
    },
    Sector {
        naf: &["70.22Z", "74.90B", "85.59A"],
        terms: &["Conseil", "Achats", "RSE", "Lean management", "Formation"],
        activities: &[
            "le conseil en organisation industrielle",
            "l'accompagnement des achats responsables",
            "la formation des équipes de production",
        ],
        materials: &["méthodes"],
        name_roots: &["Conseil", "Performance", "Stratégie", "Lean", "Partners"],
        certifications: &["Qualiopi", "ISO 9001"],
        clusters: &[24, 15],
        english: &["consulting", "responsible purchasing", "training"],
    },
];

/// Client markets an SME names.
const MARKETS: &[&str] = &[
    "l'aéronautique",
    "le spatial",
    "la défense",
    "l'automobile",
    "le ferroviaire",
    "le naval",
    "l'énergie",
    "le nucléaire",
    "le médical",
    "l'agroalimentaire",
    "le luxe",
    "le BTP",
    "la chimie",
    "l'électronique",
];

const ENGLISH_MARKETS: &[&str] = &[
    "aerospace",
    "defence",
    "automotive",
    "rail",
    "energy",
    "medical",
    "food",
    "luxury goods",
];

/// The stock phrases that make most profiles read alike.
const STRENGTHS: &[&str] = &[
    "réactivité",
    "qualité",
    "savoir-faire reconnu",
    "innovation",
    "solutions sur mesure",
    "proximité client",
    "respect des délais",
    "flexibilité",
    "expertise technique",
    "accompagnement personnalisé",
];

const FIRMS: &[&str] = &[
    "PME",
    "entreprise familiale",
    "ETI",
    "start-up industrielle",
    "société indépendante",
];

const SERIES: &[&str] = &[
    "du prototype à la grande série",
    "en petites et moyennes séries",
    "à l'unité",
    "en grande série",
];

const FAMILY_NAMES: &[&str] = &[
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
    "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier",
    "Morel", "Girard", "Andre", "Mercier", "Dupont", "Lambert", "Bonnet", "Francois", "Martinez", "Legrand",
    "Garnier", "Faure", "Rousseau", "Blanc", "Guerin",
];

const PLACES: &[&str] = &[
    "Occitanie",
    "Atlantique",
    "Rhône",
    "Alpes",
    "Normandie",
    "Lorraine",
    "Provence",
    "Bretagne",
    "Val de Loire",
    "Aquitaine",
    "Picardie",
    "Bourgogne",
    "Savoie",
    "Vendée",
    "Jura",
    "Armor",
    "Vosges",
    "Auvergne",
    "Garonne",
    "Loire",
];

const LEGAL_FORMS: &[&str] = &["SAS", "SARL", "SA", "Industries", "Groupe", "& Fils", ""];

const LABELS: &[&str] = &[
    "French Tech",
    "Entreprise innovante",
    "Industrie du futur",
    "Relations fournisseurs responsables",
    "Lucie 26000",
    "Jeune entreprise innovante",
    "Vitrine Industrie du Futur",
    "Origine France Garantie",
    "EcoVadis Or",
    "Entreprise du patrimoine vivant",
];

/// Clusters exist beyond the ones sectors favour; a few profiles belong to one of those.
pub const CLUSTER_COUNT: i64 = 55;

fn pick<'a, T: ?Sized>(rng: &mut ChaCha8Rng, items: &'a [&'a T]) -> &'a T {
    items.choose(rng).expect("word lists are not empty")
}

fn visibility(rng: &mut ChaCha8Rng, public_share: f64) -> Visibility {
    if rng.random_bool(public_share) {
        Visibility::Public
    } else {
        Visibility::Members
    }
}

/// Generates profile `i` of a corpus: the same `(seed, i)` always gives the same profile, so
/// two engines can be fed the same corpus without holding it twice.
pub struct Corpus {
    seed: u64,
    naf: Vec<Vec<NafCode>>,
    departments: Vec<(&'static str, &'static str)>,
}

impl Corpus {
    pub fn new(seed: u64) -> Self {
        let naf = SECTORS
            .iter()
            .map(|s| {
                s.naf
                    .iter()
                    .map(|c| NafCode::parse(c).expect("sector NAF codes are real"))
                    .collect()
            })
            .collect();
        // Metropolitan departments: the overseas ones host few industrial SMEs.
        let departments = domain::geo::departments()
            .filter(|d| d.code.len() == 2)
            .map(|d| (d.code, d.region_code))
            .collect();
        Corpus {
            seed,
            naf,
            departments,
        }
    }

    pub fn profile(&self, i: usize) -> ProfileDoc {
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let sector_index = rng.random_range(0..SECTORS.len());
        let sector = &SECTORS[sector_index];
        let naf = *self.naf[sector_index].choose(&mut rng).expect("codes");
        let (department, region) = *self.departments.choose(&mut rng).expect("departments");
        let english = rng.random_bool(0.08);

        let name = match rng.random_range(0..3) {
            0 => format!("{} {}", pick(&mut rng, sector.name_roots), pick(&mut rng, PLACES)),
            1 => format!(
                "{} {}",
                pick(&mut rng, sector.name_roots),
                pick(&mut rng, FAMILY_NAMES)
            ),
            _ => format!(
                "{} {} {}",
                pick(&mut rng, FAMILY_NAMES),
                pick(&mut rng, sector.name_roots),
                pick(&mut rng, LEGAL_FORMS)
            ),
        }
        .trim_end()
        .to_owned();

        let material = pick(&mut rng, sector.materials);
        let presentation = if english {
            format!(
                "We are a company specialised in {} for the {} and {} industries. We work with {} \
                 and deliver on time, from prototypes to series.",
                pick(&mut rng, sector.english),
                pick(&mut rng, ENGLISH_MARKETS),
                pick(&mut rng, ENGLISH_MARKETS),
                material,
            )
        } else {
            format!(
                "{} est une {} spécialisée dans {} pour {} et {}. Fondée en {}, elle emploie {} \
                 personnes. Nos atouts : {}, {} et {}. Nous travaillons {} et réalisons {} % de \
                 notre chiffre d'affaires à l'export.",
                name,
                pick(&mut rng, FIRMS),
                pick(&mut rng, sector.activities),
                pick(&mut rng, MARKETS),
                pick(&mut rng, MARKETS),
                rng.random_range(1950..2024),
                rng.random_range(5..400),
                pick(&mut rng, STRENGTHS),
                pick(&mut rng, STRENGTHS),
                pick(&mut rng, STRENGTHS),
                if rng.random_bool(0.5) {
                    format!("le {material}")
                } else {
                    pick(&mut rng, SERIES).to_owned()
                },
                rng.random_range(0..80),
            )
        };

        let offers = (0..rng.random_range(1..=3))
            .map(|_| {
                let term = pick(&mut rng, sector.terms);
                Offer {
                    title: format!("{term} {}", pick(&mut rng, sector.materials)),
                    description: format!(
                        "{term} de pièces en {} pour {}, {}.",
                        pick(&mut rng, sector.materials),
                        pick(&mut rng, MARKETS),
                        pick(&mut rng, SERIES)
                    ),
                    visibility: visibility(&mut rng, 0.8),
                }
            })
            .collect();

        let mut terms: Vec<String> = Vec::with_capacity(6);
        for _ in 0..rng.random_range(2..=5) {
            let term = pick(&mut rng, sector.terms);
            if !terms.iter().any(|t| t == term) {
                terms.push(term.to_owned());
            }
        }
        if rng.random_bool(0.2) {
            let other = &SECTORS[rng.random_range(0..SECTORS.len())];
            terms.push(pick(&mut rng, other.terms).to_owned());
        }
        let capabilities_text = format!(
            "Parc de {} machines, {} et {}, travail du {} et du {}.",
            rng.random_range(3..60),
            pick(&mut rng, sector.terms).to_lowercase(),
            pick(&mut rng, sector.terms).to_lowercase(),
            material,
            pick(&mut rng, sector.materials)
        );

        let size = match rng.random_range(0..100) {
            0..80 => OrgSize::Sme,
            80..95 => OrgSize::MidCap,
            _ => OrgSize::Large,
        };
        let mut certifications = Vec::new();
        for certification in sector.certifications {
            if rng.random_bool(0.35) {
                certifications.push((*certification).to_owned());
            }
        }
        let mut labels = Vec::new();
        if rng.random_bool(0.3) {
            labels.push(pick(&mut rng, LABELS).to_owned());
        }
        let mut clusters = vec![*sector.clusters.choose(&mut rng).expect("clusters")];
        if rng.random_bool(0.15) {
            let other = rng.random_range(1..=CLUSTER_COUNT);
            if other != clusters[0] {
                clusters.push(other);
            }
        }

        ProfileDoc {
            org_id: i as i64 + 1,
            name,
            presentation: Visible {
                value: presentation,
                visibility: visibility(&mut rng, 0.9),
            },
            offers,
            capability_terms: Visible {
                value: terms,
                visibility: visibility(&mut rng, 0.95),
            },
            capabilities_text: Visible {
                value: capabilities_text,
                visibility: visibility(&mut rng, 0.7),
            },
            naf,
            region: region.to_owned(),
            department: department.to_owned(),
            size: Some(size),
            certifications,
            labels,
            clusters,
        }
    }

    /// Profiles `0..count`, generated on the fly.
    pub fn profiles(&self, count: usize) -> impl Iterator<Item = ProfileDoc> + '_ {
        (0..count).map(|i| self.profile(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_profiles() {
        let a = Corpus::new(7);
        let b = Corpus::new(7);
        assert_eq!(a.profile(12), b.profile(12));
        assert_ne!(a.profile(12), a.profile(13));
        assert_ne!(Corpus::new(8).profile(12), a.profile(12));
    }

    #[test]
    fn profiles_have_real_codes_and_places() {
        for profile in Corpus::new(1).profiles(500) {
            let department = domain::geo::department(&profile.department).expect("department");
            assert_eq!(department.region_code, profile.region);
            assert!(!profile.presentation.value.is_empty());
            assert!(!profile.offers.is_empty());
            assert!(!profile.clusters.is_empty());
        }
    }
}
