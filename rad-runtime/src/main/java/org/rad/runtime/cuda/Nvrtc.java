package org.rad.runtime.cuda;

import jcuda.nvrtc.JNvrtc;
import jcuda.nvrtc.nvrtcProgram;

/** PTX from CUDA C through NVRTC (JCuda's binding; needs the toolkit's {@code libnvrtc.so.12}). */
final class Nvrtc {
  private Nvrtc() {}

  static String compile(String name, String source, String arch) {
    JNvrtc.setExceptionsEnabled(true);
    nvrtcProgram program = new nvrtcProgram();
    JNvrtc.nvrtcCreateProgram(program, source, name + ".cu", 0, null, null);
    try {
      try {
        JNvrtc.nvrtcCompileProgram(program, 1, new String[] {"--gpu-architecture=" + arch});
      } catch (RuntimeException e) {
        String[] log = new String[1];
        JNvrtc.nvrtcGetProgramLog(program, log);
        throw new IllegalStateException("NVRTC failed on " + name + ": " + log[0], e);
      }
      String[] ptx = new String[1];
      JNvrtc.nvrtcGetPTX(program, ptx);
      return ptx[0];
    } finally {
      JNvrtc.nvrtcDestroyProgram(program);
    }
  }
}
