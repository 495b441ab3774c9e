//! A small, hand-written directory of French SMEs (and one English-speaking one) whose expected
//! rankings a person can check by reading them.

use domain::naf::NafCode;
use domain::org::OrgSize;
use search::{Audience, Offer, ProfileDoc, SearchIndex, SearchRequest, SearchResults, Visibility, Visible};

/// A word that appears only in members-only fields of the fixture.
pub const SECRET: &str = "confidentium";

pub const TITANIUM_MACHINING: i64 = 1;
pub const ALUMINIUM_MACHINING: i64 = 2;
pub const COMPOSITES: i64 = 3;
pub const MEDICAL_TITANIUM: i64 = 4;
pub const FOUNDRY: i64 = 5;
pub const CYBERSECURITY: i64 = 6;
pub const SENSORS: i64 = 7;
pub const BOILERMAKING: i64 = 8;
pub const SURFACE_TREATMENT: i64 = 11;
pub const ENGLISH_MACHINING: i64 = 15;
pub const ADDITIVE: i64 = 17;
pub const BAR_TURNING: i64 = 21;

struct Draft(ProfileDoc);

fn draft(org_id: i64, name: &str, naf: &str, department: &str, size: OrgSize) -> Draft {
    let department_entry = domain::geo::department(department).expect("fixture department");
    Draft(ProfileDoc {
        org_id,
        name: name.to_owned(),
        presentation: Visible::public(String::new()),
        offers: Vec::new(),
        capability_terms: Visible::public(Vec::new()),
        capabilities_text: Visible::public(String::new()),
        naf: NafCode::parse(naf).expect("fixture NAF code"),
        region: department_entry.region_code.to_owned(),
        department: department.to_owned(),
        size: Some(size),
        certifications: Vec::new(),
        labels: Vec::new(),
        clusters: Vec::new(),
    })
}

impl Draft {
    fn presentation(mut self, text: &str) -> Self {
        self.0.presentation = Visible::public(text.to_owned());
        self
    }
    fn members_presentation(mut self, text: &str) -> Self {
        self.0.presentation = Visible::members(text.to_owned());
        self
    }
    fn offer(mut self, title: &str, description: &str) -> Self {
        self.0.offers.push(Offer {
            title: title.to_owned(),
            description: description.to_owned(),
            visibility: Visibility::Public,
        });
        self
    }
    fn members_offer(mut self, title: &str, description: &str) -> Self {
        self.0.offers.push(Offer {
            title: title.to_owned(),
            description: description.to_owned(),
            visibility: Visibility::Members,
        });
        self
    }
    fn terms(mut self, terms: &[&str]) -> Self {
        self.0.capability_terms.value = terms.iter().map(|t| (*t).to_owned()).collect();
        self
    }
    fn members_terms(mut self, terms: &[&str]) -> Self {
        self.0.capability_terms = Visible::members(terms.iter().map(|t| (*t).to_owned()).collect());
        self
    }
    fn capabilities(mut self, text: &str) -> Self {
        self.0.capabilities_text = Visible::public(text.to_owned());
        self
    }
    fn members_capabilities(mut self, text: &str) -> Self {
        self.0.capabilities_text = Visible::members(text.to_owned());
        self
    }
    fn certified(mut self, certifications: &[&str]) -> Self {
        self.0.certifications = certifications.iter().map(|c| (*c).to_owned()).collect();
        self
    }
    fn labelled(mut self, labels: &[&str]) -> Self {
        self.0.labels = labels.iter().map(|l| (*l).to_owned()).collect();
        self
    }
    fn clusters(mut self, clusters: &[i64]) -> Self {
        self.0.clusters = clusters.to_vec();
        self
    }
}

pub fn profiles() -> Vec<ProfileDoc> {
    vec![
        draft(
            TITANIUM_MACHINING,
            "Usinage Titane Occitanie",
            "25.62B",
            "31",
            OrgSize::Sme,
        )
        .presentation(
            "PME toulousaine spécialisée dans l'usinage de pièces complexes en titane et en \
                 Inconel pour l'aéronautique et le spatial. Parc de machines 5 axes, contrôle \
                 tridimensionnel, séries de 1 à 500 pièces.",
        )
        .offer(
            "Usinage 5 axes de pièces en titane",
            "Pièces de structure et de moteur, du prototype à la série, pour les \
                 équipementiers aéronautiques.",
        )
        .terms(&["Usinage 5 axes", "Alliages de titane", "Aéronautique"])
        .capabilities("Usinage grande vitesse des alliages réfractaires, ébavurage, contrôle CMM")
        .members_capabilities("Capacité disponible de 2 000 heures machine par an, tarifs négociés")
        .certified(&["EN 9100", "ISO 9001"])
        .labelled(&["Relations fournisseurs responsables"])
        .clusters(&[1]),
        draft(
            ALUMINIUM_MACHINING,
            "Mécanique Précision Aquitaine",
            "25.62B",
            "33",
            OrgSize::Sme,
        )
        .presentation(
            "Atelier de mécanique de précision : usinage d'aluminium et d'acier pour \
                 l'automobile, le ferroviaire et, depuis peu, l'aéronautique.",
        )
        .offer("Tournage et fraisage CN", "Pièces en aluminium, acier et laiton.")
        .terms(&["Tournage", "Fraisage", "Usinage conventionnel"])
        .certified(&["ISO 9001"])
        .clusters(&[1]),
        draft(COMPOSITES, "Aéro Composites Sud", "30.30Z", "31", OrgSize::MidCap)
            .presentation(
                "Conception et fabrication de pièces en composites carbone pour l'aéronautique : \
                 drapage, cuisson en autoclave, contrôle non destructif.",
            )
            .members_offer(
                "Programme confidentiel",
                &format!("Développement {SECRET} d'un panneau thermoplastique soudé"),
            )
            .terms(&["Composites", "Drapage", "Autoclave"])
            .certified(&["EN 9100"])
            .clusters(&[1]),
        draft(
            MEDICAL_TITANIUM,
            "Titane Médical Implants",
            "32.50A",
            "69",
            OrgSize::Sme,
        )
        .presentation("Fabrication d'implants orthopédiques et dentaires en titane, salle propre ISO 7.")
        .offer(
            "Implants sur mesure",
            "Implants personnalisés à partir d'imagerie médicale.",
        )
        .terms(&["Dispositifs médicaux", "Titane", "Salle propre"])
        .certified(&["ISO 13485"])
        .clusters(&[2]),
        draft(
            FOUNDRY,
            "Fonderie Métallurgie Lorraine",
            "24.51Z",
            "57",
            OrgSize::MidCap,
        )
        .presentation(
            "Fonderie de fonte et d'acier, métallurgie des alliages ferreux, pièces de 5 kg \
                 à 3 tonnes pour l'énergie et le ferroviaire.",
        )
        .terms(&["Fonderie", "Métallurgie", "Moulage sable"])
        .certified(&["ISO 9001", "ISO 14001"])
        .clusters(&[3]),
        draft(
            CYBERSECURITY,
            "Données Cloud Bretagne",
            "62.01Z",
            "35",
            OrgSize::Sme,
        )
        .presentation(
            "Éditeur de logiciels de cybersécurité et de sécurité des systèmes industriels ; \
                 hébergement souverain et audits de sécurité.",
        )
        .offer("Audit de sécurité", "Tests d'intrusion et revue d'architecture.")
        .terms(&["Cybersécurité", "Logiciel", "Cloud souverain"])
        .certified(&["ISO 27001"])
        .labelled(&["French Tech"])
        .clusters(&[4]),
        draft(
            SENSORS,
            "Capteurs Connectés Grenoble",
            "26.51B",
            "38",
            OrgSize::Sme,
        )
        .presentation(
            "Conception de capteurs connectés et d'électronique embarquée pour la \
                 maintenance prédictive des machines.",
        )
        .offer(
            "Capteurs IoT",
            "Capteurs de vibration et de température sans fil.",
        )
        .members_terms(&["Capteurs", SECRET])
        .labelled(&["French Tech", "Industrie du futur"])
        .clusters(&[5]),
        draft(
            BOILERMAKING,
            "Chaudronnerie Normande",
            "25.29Z",
            "76",
            OrgSize::Sme,
        )
        .presentation(
            "Chaudronnerie, tôlerie et soudure inox et aluminium pour l'agroalimentaire et la \
                 chimie.",
        )
        .offer("Cuves inox", "Cuves et réservoirs sur mesure.")
        .terms(&["Chaudronnerie", "Soudure", "Inox"])
        .certified(&["ISO 3834"]),
        draft(9, "Biscuiterie de l'Estuaire", "10.72Z", "44", OrgSize::Sme)
            .presentation("Biscuits et gâteaux secs artisanaux, marques de distributeur.")
            .terms(&["Agroalimentaire", "Biscuits"])
            .certified(&["IFS Food"]),
        draft(10, "Bureau d'Études Mécasim", "71.12B", "31", OrgSize::Sme)
            .presentation(
                "Calcul de structures et simulation numérique par éléments finis pour \
                 l'aéronautique et l'automobile.",
            )
            .terms(&["Simulation numérique", "Calcul de structures"])
            .clusters(&[1]),
        draft(
            SURFACE_TREATMENT,
            "Traitement de Surface Rhône",
            "25.61Z",
            "69",
            OrgSize::Sme,
        )
        .presentation(
            "Traitements de surface des alliages légers : anodisation de l'aluminium, \
                 passivation et décapage des alliages de titane pour l'aéronautique.",
        )
        .terms(&["Anodisation", "Traitement de surface"])
        .certified(&["EN 9100", "Nadcap"])
        .clusters(&[2]),
        draft(12, "Découpe Laser Alsace", "25.62B", "67", OrgSize::Sme)
            .presentation("Découpe laser et pliage de tôles jusqu'à 25 mm.")
            .members_offer("Sous-traitance", &format!("Accord {SECRET} avec un constructeur"))
            .terms(&["Découpe laser", "Pliage"])
            .clusters(&[3]),
        draft(13, "Plasturgie Oyonnax", "22.29A", "01", OrgSize::Sme)
            .presentation("Injection plastique de pièces techniques et bi-matière.")
            .terms(&["Injection plastique", "Moules"])
            .certified(&["IATF 16949"])
            .clusters(&[2]),
        draft(14, "Robotique Atlantique", "28.99B", "44", OrgSize::Sme)
            .presentation(
                "Intégrateur de robots collaboratifs et de cellules robotisées pour l'industrie \
                 du futur.",
            )
            .terms(&["Robotique", "Cobotique", "Automatisme"])
            .labelled(&["Industrie du futur"])
            .clusters(&[5]),
        draft(
            ENGLISH_MACHINING,
            "Precision Machining Works",
            "25.62B",
            "64",
            OrgSize::Sme,
        )
        .presentation(
            "We provide precision machining of titanium parts for aerospace customers, \
                 machined on five-axis centres.",
        )
        .offer("Machined titanium brackets", "Short runs, fast delivery.")
        .terms(&["Machining", "Titanium"])
        .certified(&["EN 9100"])
        .clusters(&[1]),
        draft(
            16,
            "Électronique Embarquée Toulouse",
            "26.12Z",
            "31",
            OrgSize::Sme,
        )
        .presentation("Cartes électroniques durcies pour l'aéronautique et la défense.")
        .terms(&["Électronique embarquée", "Cartes électroniques"])
        .certified(&["EN 9100", "ISO 9001"])
        .clusters(&[1]),
        draft(ADDITIVE, "Impression 3D Métal", "25.50A", "42", OrgSize::Sme)
            .presentation(
                "Fabrication additive métallique par fusion laser sur lit de poudre : titane, \
                 inox, aluminium.",
            )
            .offer(
                "Fabrication additive",
                "Prototypes et petites séries imprimées en métal.",
            )
            .terms(&["Fabrication additive", "Métallurgie des poudres"])
            .clusters(&[2]),
        draft(18, "Textiles Techniques du Nord", "13.96Z", "59", OrgSize::Sme)
            .presentation("Textiles techniques enduits pour la protection et le bâtiment.")
            .terms(&["Textiles techniques", "Enduction"]),
        draft(19, "Hydrogène Vert Provence", "35.11Z", "13", OrgSize::Sme)
            .presentation("Électrolyseurs et stations de production d'hydrogène vert.")
            .terms(&["Hydrogène", "Énergie"])
            .labelled(&["French Tech"])
            .clusters(&[6]),
        draft(20, "Conseil Achats Responsables", "70.22Z", "75", OrgSize::Sme)
            .members_presentation(&format!(
                "Conseil en achats responsables et {SECRET} pour les grands comptes."
            ))
            .terms(&["Conseil", "Achats responsables"])
            .labelled(&["Relations fournisseurs responsables"]),
        draft(
            BAR_TURNING,
            "Décolletage Vallée de l'Arve",
            "25.62A",
            "74",
            OrgSize::Sme,
        )
        .presentation("Décolletage de précision de petites pièces en laiton, inox et titane.")
        .terms(&["Décolletage", "Petites pièces"])
        .certified(&["ISO 9001"])
        .clusters(&[3]),
        draft(
            22,
            "Logistique Industrielle Val de Loire",
            "52.10B",
            "45",
            OrgSize::Large,
        )
        .presentation("Entreposage et préparation de commandes pour l'industrie.")
        .terms(&["Logistique", "Entreposage"]),
    ]
    .into_iter()
    .map(|d| d.0)
    .collect()
}

/// The fixture, indexed in memory and committed.
pub fn index() -> SearchIndex {
    let index = SearchIndex::in_ram().expect("in-RAM index");
    index.rebuild(profiles(), |_| {}).expect("rebuild");
    index
}

pub fn search(index: &SearchIndex, text: &str, audience: Audience) -> SearchResults {
    index
        .search(&SearchRequest::new(text, audience))
        .unwrap_or_else(|e| panic!("search {text:?}: {e}"))
}

pub fn ids(results: &SearchResults) -> Vec<i64> {
    results.hits.iter().map(|h| h.org_id).collect()
}
