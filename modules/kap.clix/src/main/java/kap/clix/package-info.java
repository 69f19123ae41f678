/**
 * The CLI proxy's implementation; nothing here is exported. {@link kap.clix.ClixProvider} is the entry point.
 */
package kap.clix;
