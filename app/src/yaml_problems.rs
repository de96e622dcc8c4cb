//! What the YAML reader and the apiserver's decoding refused, in the user's words: shared by
//! the create page (import, code mode, create) and edit YAML, so both say it the same way.

use console_model::{
    refusal::Reason,
    yaml::{self, KeyKind, Problem},
};

use crate::i18n::{Lang, Msg, at_line_column};

/// "Line 3, column 5. The alias *base refers to no anchor …" in `lang`.
pub fn yaml_error_text(error: &yaml::Error, lang: Lang) -> String {
    let text = |msg: Msg| msg.text(lang).to_owned();
    let problem = match &error.problem {
        // The parser's own words are English; they follow the translated sentence.
        Problem::Syntax(detail) => format!("{} {detail}", text(Msg::YamlProblemSyntax)),
        Problem::Json(detail) => format!("{} {detail}", text(Msg::YamlProblemJson)),
        Problem::Separator(rest) => text(Msg::YamlProblemSeparator).replace("{text}", rest),
        Problem::UnknownAnchor(name) => text(Msg::YamlProblemUnknownAnchor).replace("{name}", name),
        Problem::ExcessiveAliasing(count) => {
            text(Msg::YamlProblemExcessiveAliasing).replace("{count}", &count.to_string())
        }
        Problem::TooDeep(count) => {
            text(Msg::YamlProblemTooDeep).replace("{count}", &count.to_string())
        }
        Problem::UnsupportedKey(kind) => {
            let found = match kind {
                KeyKind::Null => Msg::YamlKeyNull,
                KeyKind::List => Msg::YamlKeyList,
                KeyKind::Mapping => Msg::YamlKeyMapping,
                KeyKind::HugeNumber => Msg::YamlKeyHugeNumber,
            };
            text(Msg::YamlProblemUnsupportedKey).replace("{found}", found.text(lang))
        }
        Problem::Tag { tag, value } => text(Msg::YamlProblemTag)
            .replace("{value}", value)
            .replace("{tag}", tag),
        Problem::MergeNotMapping => text(Msg::YamlProblemMerge),
        Problem::NotJson(value) => text(Msg::YamlProblemNotJson).replace("{value}", value),
    };
    format!(
        "{} {problem}",
        at_line_column(lang, error.line, error.column)
    )
}

/// Why the apiserver could not take a field, in `lang`.
pub fn refusal_text(reason: &Reason, lang: Lang) -> String {
    match reason {
        Reason::WrongType { found, expected } => Msg::RefusedWrongType
            .text(lang)
            .replace("{expected}", go_type_words(expected, lang))
            .replace("{found}", json_kind_words(found, lang)),
        Reason::UnknownField => Msg::RefusedUnknownField.text(lang).to_owned(),
        Reason::DuplicateField => Msg::RefusedDuplicateField.text(lang).to_owned(),
        Reason::NotQuantity => Msg::ProblemNotQuantity.text(lang).to_owned(),
    }
}

/// JSON's name for a value's kind, as Go's decoder reports it.
fn json_kind_words(kind: &str, lang: Lang) -> &'static str {
    match kind {
        "string" => Msg::KindText,
        "number" => Msg::KindNumber,
        "bool" => Msg::KindBool,
        "array" => Msg::KindList,
        _ => Msg::KindMapping,
    }
    .text(lang)
}

/// A Go type the API wanted, in words; types with no plainer name are shown as Go spells them.
fn go_type_words(go_type: &str, lang: Lang) -> &str {
    let msg = match go_type {
        "string" => Msg::KindText,
        "bool" => Msg::KindBool,
        "int" | "int32" | "int64" | "uint32" | "uint64" => Msg::KindWholeNumber,
        "float32" | "float64" => Msg::KindNumber,
        "intstr.IntOrString" => Msg::KindIntOrString,
        _ if go_type.starts_with("[]") => Msg::KindList,
        _ if go_type.starts_with("map[") => Msg::KindMapping,
        _ => return go_type,
    };
    msg.text(lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_yaml_refusal_says_where_and_what_in_both_languages() {
        let error = yaml::read("a: 1\nb: *base\n").unwrap_err();
        assert_eq!(
            yaml_error_text(&error, Lang::En),
            "Line 2, column 4. The alias *base refers to no anchor &base defined before it."
        );
        assert!(yaml_error_text(&error, Lang::ZhCn).starts_with("位于第 2 行第 4 列。"));
    }

    #[test]
    fn a_mode_given_as_text_is_explained_in_words() {
        let reason = Reason::WrongType {
            found: "string".into(),
            expected: "int32".into(),
        };
        assert_eq!(
            refusal_text(&reason, Lang::En),
            "The cluster expects a whole number here, not text. Quote a value meant as text; \
             write a number or true/false without quotes."
        );
        assert!(refusal_text(&reason, Lang::ZhCn).contains("整数"));
    }
}
