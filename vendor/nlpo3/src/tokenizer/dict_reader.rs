// SPDX-FileCopyrightText: 2024 PyThaiNLP Project
// SPDX-License-Identifier: Apache-2.0

/**
 * Dictionary reader.
*/
#[cfg(test)]
use crate::four_bytes_str::custom_string::CustomString;

use super::trie_char::TrieChar as Trie;
use std::error::Error;
use std::path::PathBuf;

pub enum DictSource {
    FilePath(PathBuf),
    WordList(Vec<String>),
}

pub fn create_dict_trie(source: DictSource) -> Result<Trie, Box<dyn Error>> {
    match source {
        DictSource::FilePath(file_path) => {
            let words = std::fs::read_to_string(file_path)?;
            Ok(Trie::new(words.lines()))
        }
        DictSource::WordList(word_list) => Ok(Trie::new(word_list.iter().map(String::as_str))),
    }
}

#[test]
fn test_trie() {
    let test_word_list =
        vec!["กากบาท".to_string(), "กาแฟ".to_string(), "กรรม".to_string(), "42".to_string(), "aง|.%".to_string()];
    let trie = create_dict_trie(DictSource::WordList(test_word_list)).unwrap();
    assert!(trie.contain(&CustomString::new("กาแฟ")));
    assert_eq!(trie.amount_of_words(), 5);
}
