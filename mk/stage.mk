# Build rules shared by every stage. A stage's Makefile sets:
#   SOURCES  the .c files it links, by file name (box.c, cli.c, ...)
#   REUSES   the earlier stage directories it takes mechanism files from
#   LDLIBS   the libraries its mechanisms need
# and then includes this file. `make -C stageN-name` builds that stage alone.

TOP        := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))/..)
STAGE_NAME := $(notdir $(CURDIR))
VERSION    := $(shell cat $(TOP)/VERSION)

# Sources are found in this directory first, then in the earlier stages it
# reuses: a later stage never copies a mechanism, it names its directory.
# (vpath for sources only: a plain VPATH would find another stage's obj/.)
vpath %.c $(addprefix $(TOP)/,$(REUSES))

CC         ?= cc
CFLAGS     ?= -O2 -g
CFLAGS     += -std=gnu11 -Wall -Wextra -Werror -fstack-protector-strong
CPPFLAGS   += -D_GNU_SOURCE -I. $(addprefix -I$(TOP)/,$(REUSES)) \
              -DBOX_VERSION='"$(VERSION)"' -DBOX_STAGE='"$(STAGE_NAME)"'

# make SANITIZE=1: AddressSanitizer and UndefinedBehaviorSanitizer, with clang.
ifeq ($(SANITIZE),1)
CC         := clang
CFLAGS     += -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
LDFLAGS    += -fsanitize=address,undefined
OBJDIR     := obj-sanitize
else
OBJDIR     := obj
endif

OBJECTS    := $(SOURCES:%.c=$(OBJDIR)/%.o)

all: box

# Rebuild when the build mode or the flags change (plain <-> SANITIZE=1).
FLAGS_NOW  := $(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) $(LDLIBS)
.build-flags: FORCE
	@echo '$(FLAGS_NOW)' | cmp -s - $@ || echo '$(FLAGS_NOW)' > $@

box: $(OBJECTS) .build-flags
	$(CC) $(LDFLAGS) -o $@ $(OBJECTS) $(LDLIBS)

$(OBJDIR)/%.o: %.c .build-flags | $(OBJDIR)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

$(OBJDIR):
	mkdir -p $@

clean:
	rm -rf obj obj-sanitize box .build-flags

.PHONY: all clean FORCE
-include $(OBJECTS:.o=.d)
