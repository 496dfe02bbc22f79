pub use xapi_types as types;
