/* placeholder: being written */
typedef int dp_placeholder_fedspec_t;
