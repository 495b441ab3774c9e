//! The index schema, and the one place that says which text fields an audience may search and
//! read: public and members-only text live in separate fields, so a visitor's query cannot reach
//! members-only words, nor can their statistics sway a visitor's ranking.

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, SchemaBuilder, TextFieldIndexing,
    TextOptions,
};

use tantivy::TantivyDocument;

use crate::document::{ProfileDoc, Visibility};
use crate::facets::Facet;
use crate::{analysis, packed};

/// Who is searching.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// Anyone on the public directory: public fields only.
    Visitor,
    /// A signed-in member of the platform: public and members-only fields.
    Member,
}

/// Kinds of text, each with its own weight in the ranking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TextGroup {
    Name,
    Capabilities,
    Offers,
    Presentation,
}

impl TextGroup {
    /// A match in the name or the capabilities says more about a company than one in its prose.
    pub fn boost(self) -> f32 {
        match self {
            TextGroup::Name => 3.0,
            TextGroup::Capabilities => 2.0,
            TextGroup::Offers => 1.5,
            TextGroup::Presentation => 1.0,
        }
    }
}

/// A text field an audience may search, with its weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Searchable {
    pub group: TextGroup,
    pub field: Field,
}

/// The three kinds of free text whose visibility the SME chooses.
#[derive(Debug, Clone, Copy)]
pub struct TextFields {
    pub capabilities: Field,
    pub offers: Field,
    pub presentation: Field,
}

/// The fast field holding the single-valued facets packed (see `packed`).
pub const PACKED_FACETS: &str = "facet_codes";

/// What separates the values of a multi-valued facet in its `*_set` fast field.
pub const SET_SEPARATOR: char = '\u{1f}';

/// Facet (and filter) fields: raw keywords indexed for filtering. Counting reads fast fields
/// holding exactly one value per profile: `packed` for the single-valued facets, and for each
/// multi-valued facet its sorted set of values joined into one string, whose combinations are
/// few; a full column with one value per document is far cheaper to read than a multi-valued one.
#[derive(Debug, Clone, Copy)]
pub struct FacetFields {
    pub packed: Field,
    pub certification_set: Field,
    pub label_set: Field,
    pub cluster_set: Field,
    pub naf_section: Field,
    pub naf_division: Field,
    pub region: Field,
    pub department: Field,
    pub size: Field,
    pub certification: Field,
    pub label: Field,
    pub cluster: Field,
}

/// Handles on every field of the schema.
#[derive(Debug, Clone)]
pub struct Fields {
    pub org_id: Field,
    pub name: Field,
    pub public: TextFields,
    pub members: TextFields,
    /// The full NAF code, stored for display.
    pub naf: Field,
    pub facets: FacetFields,
    visitor: [Searchable; 4],
    member: [Searchable; 7],
}

impl Fields {
    /// The text fields `audience` may search, match and read snippets from. Queries, snippets
    /// and "similar companies" all take their fields from here and nowhere else.
    pub fn searchable(&self, audience: Audience) -> &[Searchable] {
        match audience {
            Audience::Visitor => &self.visitor,
            Audience::Member => &self.member,
        }
    }
}

/// Every text field: the bilingual pipeline, positions for phrases, stored for snippets.
fn text_options() -> TextOptions {
    TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(analysis::TEXT)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
        .set_stored()
}

fn text_fields(builder: &mut SchemaBuilder, visibility: &str) -> TextFields {
    let mut field = |kind: &str| builder.add_text_field(&format!("{kind}_{visibility}"), text_options());
    TextFields {
        capabilities: field("capabilities"),
        offers: field("offers"),
        presentation: field("presentation"),
    }
}

/// The fast field counting a multi-valued facet.
pub fn set_field(facet: Facet) -> String {
    format!("{}_set", facet.as_str())
}

fn set_options() -> TextOptions {
    TextOptions::default().set_fast("raw")
}

/// A profile's values of one facet as one string: sorted, without repeats, joined.
fn value_set<'a>(values: impl Iterator<Item = &'a str>) -> String {
    let mut values: Vec<String> = values
        .map(|v| v.replace(SET_SEPARATOR, " "))
        .filter(|v| !v.is_empty())
        .collect();
    values.sort_unstable();
    values.dedup();
    values.join(&SET_SEPARATOR.to_string())
}

/// Builds the schema and the field handles that go with it.
pub fn build() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let org_id = builder.add_i64_field("org_id", INDEXED | STORED | FAST);
    let name = builder.add_text_field("name", text_options());
    let public = text_fields(&mut builder, "public");
    let members = text_fields(&mut builder, "members");
    let naf = builder.add_text_field("naf", STORED);
    // Region, department and size are stored too: a hit shows them.
    let facets = FacetFields {
        packed: builder.add_u64_field(PACKED_FACETS, FAST),
        naf_section: builder.add_text_field("naf_section", STRING),
        naf_division: builder.add_text_field("naf_division", STRING),
        region: builder.add_text_field("region", STRING | STORED),
        department: builder.add_text_field("department", STRING | STORED),
        size: builder.add_text_field("size", STRING | STORED),
        certification: builder.add_text_field("certification", STRING),
        label: builder.add_text_field("label", STRING),
        cluster: builder.add_text_field("cluster", STRING),
        certification_set: builder.add_text_field(&set_field(Facet::Certification), set_options()),
        label_set: builder.add_text_field(&set_field(Facet::Label), set_options()),
        cluster_set: builder.add_text_field(&set_field(Facet::Cluster), set_options()),
    };
    let searchable = |group, field| Searchable { group, field };
    let visitor = [
        searchable(TextGroup::Name, name),
        searchable(TextGroup::Capabilities, public.capabilities),
        searchable(TextGroup::Offers, public.offers),
        searchable(TextGroup::Presentation, public.presentation),
    ];
    let member = [
        visitor[0],
        visitor[1],
        visitor[2],
        visitor[3],
        searchable(TextGroup::Capabilities, members.capabilities),
        searchable(TextGroup::Offers, members.offers),
        searchable(TextGroup::Presentation, members.presentation),
    ];
    let fields = Fields {
        org_id,
        name,
        public,
        members,
        naf,
        facets,
        visitor,
        member,
    };
    (builder.build(), fields)
}

/// Handles for an index opened from disk, whose schema must be the one [`build`] makes.
pub fn fields_of(schema: &Schema) -> Option<Fields> {
    let (expected, fields) = build();
    (schema == &expected).then_some(fields)
}

fn add_text(doc: &mut TantivyDocument, field: Field, text: &str) {
    if !text.trim().is_empty() {
        doc.add_text(field, text);
    }
}

/// Lays a profile out on the fields: each text goes to the public or the members-only field of
/// its kind, as its owner chose.
pub(crate) fn document(profile: &ProfileDoc, fields: &Fields) -> TantivyDocument {
    let by_visibility = |visibility| match visibility {
        Visibility::Public => &fields.public,
        Visibility::Members => &fields.members,
    };
    let mut doc = TantivyDocument::new();
    doc.add_i64(fields.org_id, profile.org_id);
    add_text(&mut doc, fields.name, &profile.name);
    let capabilities = by_visibility(profile.capability_terms.visibility).capabilities;
    for term in &profile.capability_terms.value {
        add_text(&mut doc, capabilities, term);
    }
    let capabilities = by_visibility(profile.capabilities_text.visibility).capabilities;
    add_text(&mut doc, capabilities, &profile.capabilities_text.value);
    for offer in &profile.offers {
        let offers = by_visibility(offer.visibility).offers;
        add_text(&mut doc, offers, &offer.title);
        add_text(&mut doc, offers, &offer.description);
    }
    let presentation = by_visibility(profile.presentation.visibility).presentation;
    add_text(&mut doc, presentation, &profile.presentation.value);

    doc.add_text(fields.naf, profile.naf.as_str());
    let facets = &fields.facets;
    doc.add_u64(facets.packed, packed::pack(profile));
    let mut section = [0u8; 4];
    doc.add_text(
        facets.naf_section,
        profile.naf.section().encode_utf8(&mut section),
    );
    doc.add_text(facets.naf_division, profile.naf.division());
    doc.add_text(facets.region, &profile.region);
    doc.add_text(facets.department, &profile.department);
    if let Some(size) = profile.size {
        doc.add_text(facets.size, size.as_str());
    }
    for certification in &profile.certifications {
        doc.add_text(facets.certification, certification);
    }
    for label in &profile.labels {
        doc.add_text(facets.label, label);
    }
    let clusters: Vec<String> = profile.clusters.iter().map(i64::to_string).collect();
    for cluster in &clusters {
        doc.add_text(facets.cluster, cluster);
    }
    doc.add_text(
        facets.certification_set,
        value_set(profile.certifications.iter().map(String::as_str)),
    );
    doc.add_text(
        facets.label_set,
        value_set(profile.labels.iter().map(String::as_str)),
    );
    doc.add_text(facets.cluster_set, value_set(clusters.iter().map(String::as_str)));
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visitors_search_no_members_only_field() {
        let (_, fields) = build();
        let members_only = [
            fields.members.capabilities,
            fields.members.offers,
            fields.members.presentation,
        ];
        for searchable in fields.searchable(Audience::Visitor) {
            assert!(!members_only.contains(&searchable.field), "{searchable:?}");
        }
        for field in members_only {
            assert!(
                fields
                    .searchable(Audience::Member)
                    .iter()
                    .any(|s| s.field == field)
            );
        }
    }

    #[test]
    fn a_rebuilt_schema_is_recognised() {
        let (schema, _) = build();
        assert!(fields_of(&schema).is_some());
        assert!(fields_of(&Schema::builder().build()).is_none());
    }
}
