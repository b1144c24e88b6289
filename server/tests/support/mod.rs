//! What the server's tests share: a throwaway PostgreSQL cluster.

#![allow(dead_code)]

pub mod postgres;
