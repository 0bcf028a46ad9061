//! A kind's fields told to the outside, from the same rules that check them: the description the
//! web forms read (`GET /api/v1/config/kinds`), each kind's OpenAPI schemas (`PopRecord`,
//! `PopFields`, `PopChanges`) with their documented paths, so the generated client is typed per
//! kind, and the bounds sentence every field's description ends with.

use serde::Serialize;
use serde_json::{Value, json};
use utoipa::ToSchema;
use utoipa::openapi::path::{HttpMethod, Operation, OperationBuilder, ParameterBuilder, ParameterIn, Paths};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::schema::{AdditionalProperties, ArrayBuilder, ObjectBuilder, Schema, SchemaFormat, KnownFormat, SchemaType, Type};
use utoipa::openapi::{ComponentsBuilder, Content, OpenApi, OpenApiBuilder, Ref, RefOr, Required};

use super::fields::{Field, Format, Preset, Rows, Rule, ID_MAX};
use super::kinds::KindSpec;

/// One field of a kind, with its rule: what the web's forms check before the server does.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FieldRules {
    pub name: &'static str,
    /// `text`, `integer`, `flag`, `choice`, `reference`, `list` or `rows`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// A value must be given (a list: at least one entry).
    pub required: bool,
    /// The value may be null (an optional number, an optional reference).
    pub nullable: bool,
    /// Taken when no value is given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<i64>,
    /// Longest text in characters (for a list: of each entry).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_length: Option<usize>,
    /// The shape of a text (for a list: of each entry): plain, lines, code, currency, prefix,
    /// country, sip_host or dial_string.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<&'static str>,
    /// A regular expression a valid text matches (for a list: each entry).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pattern: Option<&'static str>,
    /// The server's message when the pattern does not match.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pattern_message: Option<&'static str>,
    /// `lower` or `upper`: the case the server stores the text in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case: Option<&'static str>,
    /// The words a choice may take, in order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub choices: Option<Vec<&'static str>>,
    /// The kind of record a reference points at.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<&'static str>,
    /// Most entries a list or rows field may have.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_items: Option<usize>,
    /// The columns of each row.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(no_recursion)]
    pub fields: Option<Vec<FieldRules>>,
    /// A column of the rows whose value may appear in one row only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unique: Option<&'static str>,
    /// Bounds chosen by another field's value (a margin's by its type).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ranges: Option<RangeRules>,
    /// What the field holds, ending with its bounds.
    pub description: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RangeRules {
    /// The field (of the same record or row) whose value chooses the range.
    pub by: &'static str,
    pub ranges: Vec<RangeRule>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RangeRule {
    /// The value of `by` this range applies to.
    pub when: &'static str,
    pub min: i64,
    pub max: i64,
    pub message: &'static str,
}

/// A kind of configuration record with its fields' rules.
#[derive(Debug, Serialize, ToSchema)]
pub struct KindRules {
    pub kind: &'static str,
    pub label: &'static str,
    pub fields: Vec<FieldRules>,
    /// Fields whose value no other record of the kind may have (ignoring case).
    pub unique: Vec<&'static str>,
    /// `many` or `one` when assigned by scope; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub choice: Option<String>,
    pub read_permission: &'static str,
    pub write_permission: &'static str,
    /// The kind's schema in the OpenAPI document (`PopRecord`; `PopFields` for a create,
    /// `PopChanges` for an update).
    pub schema: String,
}

fn range_of(ty: &str, min: Option<i64>, max: Option<i64>) -> Option<String> {
    match (min, max) {
        (Some(lo), Some(hi)) if hi == i64::MAX => Some(format!("At least {lo}{ty}.")),
        (Some(lo), Some(hi)) => Some(format!("Between {lo} and {hi}{ty}.")),
        _ => None,
    }
}

/// The field's bounds in a sentence or two: "At most 80 characters.", "At most 20 entries, each
/// at most 253 characters. A host name or …".
pub fn bounds(field: &Field) -> String {
    let mut out: Vec<String> = Vec::new();
    match field.rule {
        Rule::Text { max, format } => {
            out.push(format!("At most {max} characters."));
            out.extend(format.sentence().map(str::to_string));
        }
        Rule::Int { min, max, ranges, .. } => match ranges {
            Some(r) => out.extend(r.ranges.iter().filter_map(|range| range_of(&format!(" when {} is {}", r.by, range.when), Some(range.min), Some(range.max)))),
            None => out.extend(range_of("", Some(min), Some(max))),
        },
        Rule::Flag => {}
        Rule::OneOf(choices) => out.push(format!("One of: {}.", choices.join(", "))),
        Rule::Reference(kind) => out.push(format!("The id of a {kind} record.")),
        Rule::List { max_items, item_max, format } => {
            out.push(format!("At most {max_items} distinct entries, each at most {item_max} characters."));
            out.extend(format.sentence().map(str::to_string));
        }
        Rule::Rows(rows) => {
            out.push(format!("At most {} {}s.", rows.max_items, rows.noun));
            if let Some((column, _)) = rows.unique {
                out.push(format!("Each {column} at most once."));
            }
        }
    }
    if field.required {
        out.push("Required.".into());
    }
    match field.default {
        Preset::None => {}
        Preset::Int(i) => out.push(format!("Default {i}.")),
        Preset::Text("") => {}
        Preset::Text(t) => out.push(format!("Default {t}.")),
        Preset::Flag(b) => out.push(format!("Default {b}.")),
    }
    out.join(" ")
}

/// The description of a field: what it holds, then its bounds.
pub fn description(field: &Field) -> String {
    let bounds = bounds(field);
    match (field.about.is_empty(), bounds.is_empty()) {
        (true, _) => bounds,
        (false, true) => field.about.to_string(),
        (false, false) => format!("{} {bounds}", field.about),
    }
}

fn text_rules(rules: &mut FieldRules, max: usize, format: Format) {
    rules.max_length = Some(max);
    rules.format = Some(format.code());
    rules.pattern = format.pattern();
    rules.pattern_message = format.message();
    rules.case = format.case();
}

/// A field's rules as the API describes them.
pub fn field_rules(field: &Field) -> FieldRules {
    let default = match field.default {
        Preset::None => None,
        _ => Some(field.default_value()),
    };
    let mut r = FieldRules {
        name: field.name,
        kind: "text",
        required: field.required,
        nullable: false,
        default,
        min: None,
        max: None,
        max_length: None,
        format: None,
        pattern: None,
        pattern_message: None,
        case: None,
        choices: None,
        reference: None,
        max_items: None,
        fields: None,
        unique: None,
        ranges: None,
        description: description(field),
    };
    match field.rule {
        Rule::Text { max, format } => text_rules(&mut r, max, format),
        Rule::Int { min, max, nullable, ranges } => {
            r.kind = "integer";
            r.min = Some(min);
            r.max = Some(max);
            r.nullable = nullable;
            r.ranges = ranges.map(|g| RangeRules {
                by: g.by,
                ranges: g.ranges.iter().map(|x| RangeRule { when: x.when, min: x.min, max: x.max, message: x.message }).collect(),
            });
        }
        Rule::Flag => r.kind = "flag",
        Rule::OneOf(choices) => {
            r.kind = "choice";
            r.choices = Some(choices.to_vec());
            r.nullable = !field.required && field.default == Preset::None;
        }
        Rule::Reference(kind) => {
            r.kind = "reference";
            r.reference = Some(kind);
            r.max_length = Some(ID_MAX);
            r.nullable = !field.required;
        }
        Rule::List { max_items, item_max, format } => {
            r.kind = "list";
            r.max_items = Some(max_items);
            text_rules(&mut r, item_max, format);
        }
        Rule::Rows(rows) => {
            r.kind = "rows";
            r.max_items = Some(rows.max_items);
            r.fields = Some(rows.fields.iter().map(field_rules).collect());
            r.unique = rows.unique.map(|(column, _)| column);
        }
    }
    r
}

/// A kind with its fields' rules.
pub fn kind_rules(spec: &KindSpec) -> KindRules {
    KindRules {
        kind: spec.kind,
        label: spec.label,
        fields: spec.fields.iter().map(field_rules).collect(),
        unique: spec.unique.to_vec(),
        choice: spec.choice.map(|c| format!("{c:?}").to_lowercase()),
        read_permission: spec.read.as_str(),
        write_permission: spec.write.as_str(),
        schema: format!("{}Record", schema_name(spec.kind)),
    }
}

/// `did_country` → `DidCountry`.
pub fn schema_name(kind: &str) -> String {
    kind.split('_').map(|w| w[..1].to_uppercase() + &w[1..]).collect()
}

fn typed(ty: Type, nullable: bool) -> SchemaType {
    if nullable { SchemaType::from_iter([ty, Type::Null]) } else { SchemaType::new(ty) }
}

fn text_schema(max: usize, format: Format, min_one: bool) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(SchemaType::new(Type::String))
        .max_length(Some(max))
        .min_length(min_one.then_some(1))
        .pattern(format.pattern())
}

/// The JSON Schema of one field's value.
pub fn field_schema(field: &Field) -> RefOr<Schema> {
    // The default is in the description, not in a `default` keyword: generated clients take a
    // property with a default as always present, which an update or a create need not send.
    let about = Some(description(field));
    let schema: Schema = match field.rule {
        Rule::Text { max, format } => text_schema(max, format, field.required).description(about).into(),
        Rule::Int { min, max, nullable, .. } => ObjectBuilder::new()
            .schema_type(typed(Type::Integer, nullable))
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
            .minimum(Some(min))
            .maximum((max != i64::MAX).then_some(max))
            .description(about)
            .into(),
        Rule::Flag => ObjectBuilder::new().schema_type(SchemaType::new(Type::Boolean)).description(about).into(),
        Rule::OneOf(choices) => {
            let nullable = !field.required && field.default == Preset::None;
            let mut values: Vec<Value> = choices.iter().map(|c| json!(c)).collect();
            if nullable {
                values.push(Value::Null);
            }
            ObjectBuilder::new().schema_type(typed(Type::String, nullable)).enum_values(Some(values)).description(about).into()
        }
        Rule::Reference(_) => ObjectBuilder::new().schema_type(typed(Type::String, !field.required)).max_length(Some(ID_MAX)).description(about).into(),
        Rule::List { max_items, item_max, format } => ArrayBuilder::new()
            .items(text_schema(item_max, format, true))
            .max_items(Some(max_items))
            .min_items(field.required.then_some(1))
            .unique_items(true)
            .description(about)
            .into(),
        Rule::Rows(rows) => ArrayBuilder::new().items(row_schema(rows)).max_items(Some(rows.max_items)).min_items(field.required.then_some(1)).description(about).into(),
    };
    RefOr::T(schema)
}

fn row_schema(rows: &Rows) -> ObjectBuilder {
    let mut o = ObjectBuilder::new().schema_type(SchemaType::new(Type::Object)).additional_properties(Some(AdditionalProperties::FreeForm(false)));
    for f in rows.fields {
        o = o.property(f.name, field_schema(f));
        if f.required {
            o = o.required(f.name);
        }
    }
    o
}

/// The fields of a create (`required`: the fields without a default that must be given) or of an
/// update (`None`: only what changes).
fn fields_schema(spec: &KindSpec, create: bool) -> Schema {
    let mut o = ObjectBuilder::new()
        .schema_type(SchemaType::new(Type::Object))
        .additional_properties(Some(AdditionalProperties::FreeForm(false)))
        .description(Some(if create {
            format!("The fields of a new {}; fields left out take their default.", spec.label.to_lowercase())
        } else {
            format!("The fields of a {} that change; fields left out keep their value.", spec.label.to_lowercase())
        }));
    for f in spec.fields {
        o = o.property(f.name, field_schema(f));
        if create && f.required {
            o = o.required(f.name);
        }
    }
    o.into()
}

/// A stored record: every field, the version and audit fields, and its assignments when the
/// kind is assigned by scope.
fn record_schema(spec: &KindSpec) -> Schema {
    let text = || ObjectBuilder::new().schema_type(SchemaType::new(Type::String));
    let mut o = ObjectBuilder::new()
        .schema_type(SchemaType::new(Type::Object))
        .description(Some(format!("A {} as stored.", spec.label.to_lowercase())))
        .property("id", text())
        .property("version", ObjectBuilder::new().schema_type(SchemaType::new(Type::Integer)).format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64))))
        .property("created_at", text())
        .property("created_by", ObjectBuilder::new().schema_type(typed(Type::String, true)))
        .property("updated_at", text())
        .property("updated_by", ObjectBuilder::new().schema_type(typed(Type::String, true)));
    for name in ["id", "version", "created_at", "created_by", "updated_at", "updated_by"] {
        o = o.required(name);
    }
    for f in spec.fields {
        o = o.property(f.name, field_schema(f)).required(f.name);
    }
    if spec.choice.is_some() {
        let assignment = ObjectBuilder::new().schema_type(SchemaType::new(Type::Object));
        o = o.property("assignments", ArrayBuilder::new().items(assignment).description(Some("Who gets the record: scopes, each with `exclude`."))).required("assignments");
    }
    o.into()
}

fn schema_ref(name: &str) -> RefOr<Schema> {
    RefOr::Ref(Ref::from_schema_name(name))
}

fn json_content(schema: impl Into<RefOr<Schema>>) -> Content {
    Content::new(Some(schema))
}

fn problem(description: &str) -> utoipa::openapi::Response {
    ResponseBuilder::new().description(description).content("application/json", json_content(schema_ref("Problem"))).build()
}

fn input_body(spec: &KindSpec, fields: &str) -> utoipa::openapi::request_body::RequestBody {
    let mut o = ObjectBuilder::new().schema_type(SchemaType::new(Type::Object)).property("fields", schema_ref(fields)).required("fields");
    if spec.choice.is_some() {
        o = o.property(
            "assignments",
            ArrayBuilder::new()
                .schema_type(typed(Type::Array, true))
                .items(ObjectBuilder::new().schema_type(SchemaType::new(Type::Object)))
                .description(Some("The complete assignment set; absent leaves it as it is.")),
        );
    }
    o = o.property(
        "expected_version",
        ObjectBuilder::new()
            .schema_type(typed(Type::Integer, true))
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
            .description(Some("For updates: the version you edited; a newer stored version answers 409.")),
    );
    RequestBodyBuilder::new().content("application/json", json_content(o)).required(Some(Required::True)).build()
}

fn operation(spec: &KindSpec, id: &str, summary: String) -> OperationBuilder {
    OperationBuilder::new().tag("config").operation_id(Some(format!("{id}_{}", spec.kind))).summary(Some(summary))
}

fn id_parameter() -> utoipa::openapi::path::Parameter {
    ParameterBuilder::new().name("id").parameter_in(ParameterIn::Path).required(Required::True).schema(Some(ObjectBuilder::new().schema_type(SchemaType::new(Type::String)))).build()
}

fn query_parameter(name: &str, ty: Type, description: &str) -> utoipa::openapi::path::Parameter {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Query)
        .required(Required::False)
        .description(Some(description))
        .schema(Some(ObjectBuilder::new().schema_type(SchemaType::new(ty))))
        .build()
}

/// The documented per-kind paths (`/api/v1/config/pop`, `/api/v1/config/pop/{id}`) and the kind's
/// schemas. The requests are served by the generic `/api/v1/config/{kind}` routes; these entries
/// only type them per kind for the generated clients.
pub fn openapi(specs: &[&'static KindSpec]) -> OpenApi {
    let mut components = ComponentsBuilder::new();
    let mut paths = Paths::new();
    for spec in specs {
        let name = schema_name(spec.kind);
        let (record, fields, changes) = (format!("{name}Record"), format!("{name}Fields"), format!("{name}Changes"));
        components = components.schema(&record, record_schema(spec)).schema(&fields, fields_schema(spec, true)).schema(&changes, fields_schema(spec, false));
        let noun = spec.label.to_lowercase();
        let page = ObjectBuilder::new()
            .schema_type(SchemaType::new(Type::Object))
            .property("items", ArrayBuilder::new().items(schema_ref(&record)))
            .property("total", ObjectBuilder::new().schema_type(SchemaType::new(Type::Integer)).format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64))))
            .property("limit", ObjectBuilder::new().schema_type(SchemaType::new(Type::Integer)).format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64))))
            .property("offset", ObjectBuilder::new().schema_type(SchemaType::new(Type::Integer)).format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64))))
            .required("items")
            .required("total")
            .required("limit")
            .required("offset");
        let record_response = |status: &str| ResponseBuilder::new().description(status).content("application/json", json_content(schema_ref(&record))).build();
        let list: Operation = operation(spec, "list", format!("List {noun} records."))
            .parameter(query_parameter("q", Type::String, "Search in the name and code."))
            .parameter(query_parameter("filter", Type::String, "Filter on one column, `column:value`."))
            .parameter(query_parameter("limit", Type::Integer, "Page size."))
            .parameter(query_parameter("offset", Type::Integer, "Records to skip."))
            .response("200", ResponseBuilder::new().description("A page of records").content("application/json", json_content(page)).build())
            .response("403", problem("Not allowed"))
            .build();
        let create: Operation = operation(spec, "create", format!("Create a {noun} (version 1)."))
            .request_body(Some(input_body(spec, &fields)))
            .response("201", record_response("Created"))
            .response("403", problem("Not allowed"))
            .response("422", problem("A field breaks its rule"))
            .build();
        let all = format!("/api/v1/config/{}", spec.kind);
        paths.add_path_operation(&all, vec![HttpMethod::Get], list);
        paths.add_path_operation(&all, vec![HttpMethod::Post], create);
        let get: Operation = operation(spec, "get", format!("One {noun} with its assignments."))
            .parameter(id_parameter())
            .response("200", record_response("The record"))
            .response("404", problem("No such record"))
            .build();
        let update: Operation = operation(spec, "update", format!("Change a {noun} (only the fields given); a new version."))
            .parameter(id_parameter())
            .request_body(Some(input_body(spec, &changes)))
            .response("200", record_response("The record as saved"))
            .response("404", problem("No such record"))
            .response("409", problem("Changed by someone else meanwhile"))
            .response("422", problem("A field breaks its rule"))
            .build();
        let delete: Operation = operation(spec, "delete", format!("Delete a {noun}; refused while other records depend on it."))
            .parameter(id_parameter())
            .response("204", ResponseBuilder::new().description("Deleted").build())
            .response("404", problem("No such record"))
            .response("409", problem("Other records depend on it"))
            .build();
        let one = format!("/api/v1/config/{}/{{id}}", spec.kind);
        paths.add_path_operation(&one, vec![HttpMethod::Get], get);
        paths.add_path_operation(&one, vec![HttpMethod::Patch], update);
        paths.add_path_operation(&one, vec![HttpMethod::Delete], delete);
    }
    OpenApiBuilder::new().paths(paths).components(Some(components.build())).build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::changes::fields::{code, int, list, text};

    #[test]
    fn kinds_get_schema_names() {
        assert_eq!(schema_name("did_country"), "DidCountry");
        assert_eq!(schema_name("pop"), "Pop");
    }

    #[test]
    fn each_field_says_its_bounds() {
        assert_eq!(description(&text("name", 80).required().about("The name.")), "The name. At most 80 characters. Required.");
        assert_eq!(description(&int("port", 1, 65_535).default_int(5060)), "Between 1 and 65535. Default 5060.");
        assert_eq!(
            description(&list("hosts", Format::SipHost, 253, 20)),
            "At most 20 distinct entries, each at most 253 characters. A host name or IPv4/IPv6 address, optionally with :port."
        );
        assert!(description(&code("code")).contains("At most 40 characters"));
    }

    #[test]
    fn schemas_carry_the_bounds() {
        let schema = serde_json::to_value(field_schema(&list("hosts", Format::SipHost, 253, 20))).unwrap();
        assert_eq!(schema["maxItems"], 20);
        assert_eq!(schema["items"]["maxLength"], 253);
        let schema = serde_json::to_value(field_schema(&code("code"))).unwrap();
        assert_eq!(schema["maxLength"], 40);
        assert_eq!(schema["pattern"], "^[A-Za-z0-9_-]+$");
    }
}
