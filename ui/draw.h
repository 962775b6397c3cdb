/* draw.h (stub) */
