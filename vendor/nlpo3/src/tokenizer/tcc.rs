// SPDX-FileCopyrightText: 2024 PyThaiNLP Project
// SPDX-License-Identifier: Apache-2.0

pub(crate) mod tcc_rules;
pub(crate) mod tcc_tokenizer;
