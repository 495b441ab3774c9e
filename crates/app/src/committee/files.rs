//! The files of the committee — a call's documents and a dossier's attachments — share one set of
//! rules: a size cap, a type recognised from the content, a safe name, storage once per content
//! under its SHA-256, and a download that checks the bytes still match that checksum.

use sha2::{Digest, Sha256};
use store::Conn;
use store::committee::files::{self, Attached};

use crate::{AppError, Result};

/// Largest file accepted, in bytes.
pub const MAX_ATTACHMENT_BYTES: usize = 10 * 1024 * 1024;
/// File types accepted, recognised from the file's content (not its name).
pub const ATTACHMENT_TYPES: [&str; 5] = [
    "application/pdf",
    "image/png",
    "image/jpeg",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
];
const FILE_NAME_CHARS: usize = 200;

/// A file as sent by someone: the name their computer gave it and its bytes.
pub struct Upload {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// A file on its way out: the name it is kept under, its recognised type, its checked bytes.
#[derive(Debug, Clone)]
pub struct FileDownload {
    pub file_name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// Checks an upload and describes it as it will be attached; nothing is stored yet.
pub(crate) fn accept(upload: &Upload) -> Result<Attached> {
    let content_type = check_attachment(&upload.bytes)?;
    Ok(Attached {
        file_name: sanitise_file_name(&upload.file_name, content_type),
        file_sha256: hex::encode(Sha256::digest(&upload.bytes)),
        size_bytes: upload.bytes.len() as i64,
        content_type: content_type.to_owned(),
    })
}

/// Stores the bytes `accept` described (once per content).
pub(crate) async fn put(conn: &mut Conn, attached: &Attached, bytes: &[u8], at: i64) -> Result<()> {
    files::put(conn, &attached.file_sha256, &attached.content_type, bytes, at).await?;
    Ok(())
}

/// The bytes of an attached file, refused (500, logged) unless they still hash to the checksum
/// taken at upload: a damaged or tampered file is never handed out as the candidate's.
pub(crate) async fn read_verified(conn: &mut Conn, attached: &Attached) -> Result<FileDownload> {
    let bytes = files::content(conn, &attached.file_sha256)
        .await?
        .ok_or_else(|| AppError::Internal(format!("the content of '{}' is missing", attached.file_name)))?;
    let actual = hex::encode(Sha256::digest(&bytes));
    if actual != attached.file_sha256 {
        tracing::error!(
            file = %attached.file_name,
            expected = %attached.file_sha256,
            %actual,
            "a stored file no longer matches its checksum"
        );
        return Err(AppError::Internal(format!(
            "the file '{}' failed its integrity check",
            attached.file_name
        )));
    }
    Ok(FileDownload {
        file_name: attached.file_name.clone(),
        content_type: attached.content_type.clone(),
        bytes,
    })
}

/// The file's type as its bytes say, if accepted; its size within the limit.
fn check_attachment(bytes: &[u8]) -> Result<&'static str> {
    if bytes.is_empty() {
        return Err(AppError::invalid("file", "the file is empty"));
    }
    if bytes.len() > MAX_ATTACHMENT_BYTES {
        return Err(AppError::invalid(
            "file",
            format!(
                "the file is {} bytes; at most {} MiB are accepted",
                bytes.len(),
                MAX_ATTACHMENT_BYTES / (1024 * 1024)
            ),
        ));
    }
    let sniffed = infer::get(bytes).map(|kind| kind.mime_type());
    ATTACHMENT_TYPES
        .into_iter()
        .find(|accepted| Some(*accepted) == sniffed)
        .ok_or_else(|| {
            AppError::invalid(
                "file",
                format!(
                    "{} files are not accepted; send a PDF, PNG, JPEG, DOCX or XLSX file",
                    sniffed.unwrap_or("unrecognised")
                ),
            )
        })
}

/// A name safe to store and show: the last component of any path, without control characters,
/// reserved characters or leading dots, at most 200 characters; "document.<ext>" when nothing
/// is left.
pub fn sanitise_file_name(name: &str, content_type: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .collect();
    let trimmed = cleaned.trim().trim_start_matches('.').trim();
    let kept: String = trimmed.chars().take(FILE_NAME_CHARS).collect();
    if kept.is_empty() {
        let extension = match content_type {
            "application/pdf" => "pdf",
            "image/png" => "png",
            "image/jpeg" => "jpg",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => "docx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => "xlsx",
            _ => "bin",
        };
        format!("document.{extension}")
    } else {
        kept
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attachment_types_come_from_the_content_not_the_name() {
        assert_eq!(check_attachment(b"%PDF-1.7\n...").unwrap(), "application/pdf");
        let refused = check_attachment(b"MZ\x90\0 executable").unwrap_err();
        assert!(refused.to_string().contains("not accepted"), "{refused}");
        assert!(check_attachment(b"").unwrap_err().to_string().contains("empty"));
        let mut big = b"%PDF-1.7\n".to_vec();
        big.resize(MAX_ATTACHMENT_BYTES + 1, b' ');
        assert!(check_attachment(&big).unwrap_err().to_string().contains("10 MiB"));
    }

    #[test]
    fn file_names_lose_their_paths_and_dangerous_characters() {
        let pdf = "application/pdf";
        assert_eq!(sanitise_file_name("../../etc/passwd", pdf), "passwd");
        assert_eq!(sanitise_file_name("C:\\Users\\moi\\offre.pdf", pdf), "offre.pdf");
        assert_eq!(sanitise_file_name("..", pdf), "document.pdf");
        assert_eq!(sanitise_file_name(".htaccess", pdf), "htaccess");
        assert_eq!(sanitise_file_name("a\r\nb<c>.pdf", pdf), "a__b_c_.pdf");
        assert_eq!(sanitise_file_name("", "image/png"), "document.png");
        assert_eq!(sanitise_file_name(&"é".repeat(300), pdf).chars().count(), 200);
    }

    #[test]
    fn an_accepted_upload_is_described_by_its_content() {
        let upload = Upload {
            file_name: "../cahier des charges.pdf".into(),
            bytes: b"%PDF-1.7\nx".to_vec(),
        };
        let attached = accept(&upload).unwrap();
        assert_eq!(attached.file_name, "cahier des charges.pdf");
        assert_eq!(attached.size_bytes, 10);
        assert_eq!(attached.file_sha256, hex::encode(Sha256::digest(b"%PDF-1.7\nx")));
    }
}
