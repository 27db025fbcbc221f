// Diagnosis-key export files: read (keyfile_reader.h), verify (keyfile_verify.h), write and
// sign (keyfile_writer.h). Include this header for all three.
#pragma once

#include "exposure/keyfile_format.h"
#include "exposure/keyfile_reader.h"
#include "exposure/keyfile_verify.h"
#include "exposure/keyfile_writer.h"
