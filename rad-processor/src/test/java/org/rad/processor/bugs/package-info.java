/**
 * Regression tests, one class per bug: each compiles the minimized program that showed the bug
 * (from a bug report or the differential fuzzer) and checks the value and gradient that were
 * wrong, or the compilation that failed, against finite differences or a closed form.
 */
package org.rad.processor.bugs;
