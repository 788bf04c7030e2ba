// SPDX-FileCopyrightText: 2024 PyThaiNLP Project
// SPDX-License-Identifier: Apache-2.0

/**
 * The dictionary trie of newmm.
 *
 * Prongsai's change to nlpo3 1.4.0: the trie is one flat array of nodes, each node's children
 * side by side and sorted by character, found by binary search. nlpo3's own trie kept a hash map in
 * every node and a hash set of the words beside it: about 61 MB for PyThaiNLP's 62,107 words, held
 * by every process that segments Thai. This one takes 16 bytes a node (235,351 nodes: under 4 MB).
 * `prefix_ref` answers exactly as before; adding and removing words after the trie is built, which
 * Prongsai never does, is gone.
 *
 * For basic information of trie, visit this wikipedia page
 * https://en.wikipedia.org/wiki/Trie
*/
use crate::four_bytes_str::custom_string::{
    is_whitespace_char, CustomString, CustomStringBytesSlice, FixedCharsLengthByteSlice,
};

use std::collections::VecDeque;
use std::convert::TryFrom;
use std::ops::Range;

/// One node: the character that leads to it, whether a word ends here, and where its children
/// lie in the array.
#[derive(Debug, Clone, Copy)]
struct Node {
    character: char,
    end: bool,
    first_child: u32,
    children: u32,
}

#[derive(Debug)]
pub struct TrieChar {
    /// The root first; every node's children are contiguous and sorted by character.
    nodes: Vec<Node>,
}

impl TrieChar {
    /// The trie of `words`, each trimmed as nlpo3's own trie did (its `trim` keeps the untrimmed
    /// chars, so a word with leading spaces was, and is, stored shifted: PyThaiNLP's list has
    /// none); empty words are skipped. Built from the words' own bytes: nothing but the sorted
    /// list of slices is allocated beside the nodes, so building leaves no freed heap behind.
    pub fn new<'a>(words: impl IntoIterator<Item = &'a str>) -> Self {
        let mut words: Vec<&str> = words
            .into_iter()
            .filter_map(|word| {
                let leading = word.chars().take_while(|c| is_whitespace_char(*c)).count();
                let trailing = word.chars().rev().take_while(|c| is_whitespace_char(*c)).count();
                let chars = word.chars().count().saturating_sub(leading + trailing);
                let bytes = word.char_indices().nth(chars).map_or(word.len(), |(at, _)| at);
                (chars > 0).then(|| &word[..bytes])
            })
            .collect();
        // UTF-8's byte order is the order of the chars' code points.
        words.sort_unstable();
        words.dedup();
        let root = Node { character: '\0', end: false, first_child: 0, children: 0 };
        let mut nodes = vec![root];
        // Breadth first: a node's children are all pushed before any grandchild, so they lie
        // side by side. Every word of a node's range starts with the node's prefix (`prefix`
        // bytes); the sorted order puts the word that ends at the node first, then groups the
        // rest by their next char.
        let mut queue: VecDeque<(usize, Range<usize>, usize)> = VecDeque::new();
        queue.push_back((0, 0..words.len(), 0));
        while let Some((node, range, prefix)) = queue.pop_front() {
            let first_child = nodes.len();
            let mut at = range.start;
            while at < range.end {
                let Some(character) = words[at][prefix..].chars().next() else {
                    nodes[node].end = true;
                    at += 1;
                    continue;
                };
                let next_prefix = prefix + character.len_utf8();
                let mut next = at + 1;
                while next < range.end
                    && words[next].as_bytes().get(prefix..next_prefix)
                        == Some(&words[at].as_bytes()[prefix..next_prefix])
                {
                    next += 1;
                }
                nodes.push(Node { character, end: false, first_child: 0, children: 0 });
                queue.push_back((nodes.len() - 1, at..next, next_prefix));
                at = next;
            }
            let index = |i: usize| u32::try_from(i).expect("a trie of under 4 billion nodes");
            nodes[node].first_child = index(first_child);
            nodes[node].children = index(nodes.len() - first_child);
        }
        nodes.shrink_to_fit();
        Self { nodes }
    }

    fn child(&self, node: &Node, character: char) -> Option<&Node> {
        let first = node.first_child as usize;
        let children = &self.nodes[first..first + node.children as usize];
        children.binary_search_by(|child| child.character.cmp(&character)).ok().map(|i| &children[i])
    }

    /// Whether `word` is stored (as stored: a padded word's first chars, see [`TrieChar::new`];
    /// nlpo3's own looked the trimmed word up in its set of words).
    #[allow(dead_code)]
    pub fn contain(&self, word: &CustomString) -> bool {
        let mut node = &self.nodes[0];
        for i in 0..word.chars_len() {
            match self.child(node, word.get_char_at(i)) {
                Some(child) => node = child,
                None => return false,
            }
        }
        word.chars_len() > 0 && node.end
    }

    #[allow(dead_code)]
    pub fn amount_of_words(&self) -> usize {
        self.nodes.iter().filter(|node| node.end).count()
    }

    /// Returns a vec of substring (as reference) as produced by words stored in dict_trie.
    pub fn prefix_ref<'p>(prefix: &'p CustomString, dict_trie: &Self) -> Vec<&'p CustomStringBytesSlice> {
        let mut result: Vec<&[u8]> = vec![];
        let mut node = &dict_trie.nodes[0];
        for current_index in 0..prefix.chars_len() {
            match dict_trie.child(node, prefix.get_char_at(current_index)) {
                Some(child) => {
                    if child.end {
                        result.push(prefix.raw_content().slice_by_char_indice(0, current_index + 1));
                    }
                    node = child;
                }
                None => break,
            }
        }
        result
    }
}

#[test]
fn words_are_trimmed_deduplicated_and_found_by_their_prefixes() {
    let trie = TrieChar::new(["ศาล", "ศาล", "ศาลา", "ศา", "กา", "", " \u{200B}"]);
    assert_eq!(trie.amount_of_words(), 4);
    assert!(trie.contain(&CustomString::new("ศาลา")));
    assert!(!trie.contain(&CustomString::new("ศ")));
    assert!(!trie.contain(&CustomString::new("")));
    // A word with spaces around it is stored as nlpo3's own trie stored it: its first chars.
    let padded = TrieChar::new([" ศาล\t"]);
    assert!(padded.contain(&CustomString::new(" ศา")) && padded.amount_of_words() == 1);
    let text = CustomString::new("ศาลาวัด");
    let found: Vec<String> =
        TrieChar::prefix_ref(&text, &trie).into_iter().map(CustomString::convert_raw_bytes_to_std_string).collect();
    assert_eq!(found, ["ศา", "ศาล", "ศาลา"]);
}
