//! The fair queue (issue 14): service points, counters, tickets, and the display board.

pub mod board;
