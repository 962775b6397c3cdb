/* panel.h (stub) */
